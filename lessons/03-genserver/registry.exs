# The seed's registry in Elixir: a GenServer holding a map. `add`
# is a cast (the caller does not wait) that computes the key's value
# inside the server; `find` is a call that answers {:ok, value} or
# {:error, "Not found"}.
# Run: elixir lessons/03-genserver/registry.exs
defmodule LongRunningProcess do
  # Stands in for the slow computation: 1,000 rounds of SHA-256, as
  # the kit's `lookup` job.
  def run(key) do
    Enum.reduce(1..1000, key, fn _, digest ->
      :crypto.hash(:sha256, digest) |> Base.encode16(case: :lower)
    end)
  end
end

defmodule Example.Registry do
  use GenServer

  # #region client
  # Client: runs in the caller's process
  def start_link(_opts) do
    GenServer.start_link(__MODULE__, %{}, name: __MODULE__)
  end

  def add(key), do: GenServer.cast(__MODULE__, {:add, key})
  def find(key), do: GenServer.call(__MODULE__, {:find, key})
  # #endregion client

  # #region server
  # Server: runs in the registry's own process, one message at a time
  @impl true
  def init(state), do: {:ok, state}

  @impl true
  def handle_cast({:add, key}, state) do
    {:noreply, Map.put(state, key, LongRunningProcess.run(key))}
  end

  @impl true
  def handle_call({:find, key}, _from, state) do
    case Map.fetch(state, key) do
      {:ok, value} -> {:reply, {:ok, value}, state}
      :error -> {:reply, {:error, "Not found"}, state}
    end
  end
  # #endregion server
end

{:ok, _pid} = Example.Registry.start_link([])
Example.Registry.add("something")
IO.inspect(Example.Registry.find("something"))
IO.inspect(Example.Registry.find("nothing"))
