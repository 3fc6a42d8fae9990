# The seed's OTP operations timed on the BEAM, for the `micro` scenario (bench/micro/elixir.ts
# runs this when `elixir` is on PATH). Each case runs `batch` operations per timed call, as the
# Node cases do, and a repeat's figure is the median batch time divided by the batch.
#
#   elixir bench/micro/elixir-otp.exs <repeats> <ms per case and repeat>
#
# Prints one line per case: subject TAB case TAB batch TAB µs/op of each repeat, comma-separated.
# What a call measures here: a message from the caller's process to the server's process and
# the reply back, two processes the schedulers may run on different cores and may preempt.

defmodule Counts do
  # The seed registry's shape at its smallest: a map of counters behind one mailbox (the Node
  # suite's `counts` server does the same).
  use GenServer

  @impl true
  def init(_), do: {:ok, %{}}

  @impl true
  def handle_call(key, _from, state) do
    next = Map.get(state, key, 0) + 1
    {:reply, next, Map.put(state, key, next)}
  end

  @impl true
  def handle_cast(key, state), do: {:noreply, Map.update(state, key, 1, &(&1 + 1))}
end

defmodule Micro do
  # Runs `fun` (one batch) until `ms` have passed; returns the median batch time in µs per op.
  def per_op(fun, batch, ms) do
    fun.()
    deadline = System.monotonic_time(:millisecond) + ms
    times = sample(fun, deadline, [])
    sorted = Enum.sort(times)
    median = Enum.at(sorted, div(length(sorted), 2))
    median / 1000 / batch
  end

  defp sample(fun, deadline, acc) do
    t0 = System.monotonic_time(:nanosecond)
    fun.()
    acc = [System.monotonic_time(:nanosecond) - t0 | acc]
    if System.monotonic_time(:millisecond) < deadline, do: sample(fun, deadline, acc), else: acc
  end

  def times(n, fun), do: Enum.each(1..n, fn _ -> fun.() end)
end

[repeats, ms] = Enum.map(System.argv(), &String.to_integer/1)
{:ok, server} = GenServer.start_link(Counts, nil)
calls = 100
casts = 1000
spawns = 100

cases = [
  {"elixir-genserver", "bare Map update", casts,
   fn -> Enum.reduce(1..casts, %{}, fn _, m -> Map.update(m, "k", 1, &(&1 + 1)) end) end},
  {"elixir-genserver", "GenServer call round trip", calls,
   fn -> Micro.times(calls, fn -> GenServer.call(server, "k") end) end},
  # The closing call waits until every cast has been handled: this times handling, not queueing.
  {"elixir-genserver", "GenServer cast (handled)", casts,
   fn ->
     Micro.times(casts, fn -> GenServer.cast(server, "k") end)
     GenServer.call(server, "k")
   end},
  {"elixir-task", "spawn + reply message", spawns,
   fn ->
     me = self()
     Micro.times(spawns, fn ->
       spawn(fn -> send(me, :done) end)
       receive do: (:done -> :ok)
     end)
   end},
  {"elixir-task", "Task.async + await", spawns,
   fn -> Micro.times(spawns, fn -> Task.await(Task.async(fn -> 1 end)) end) end}
]

results =
  for _ <- 1..repeats, {subject, name, batch, fun} <- cases, reduce: %{} do
    acc ->
      sample = Micro.per_op(fun, batch, ms)
      Map.update(acc, {subject, name, batch}, [sample], &(&1 ++ [sample]))
  end

for {subject, name, batch, _} <- cases do
  samples = Map.fetch!(results, {subject, name, batch})
  IO.puts(Enum.join([subject, name, batch, Enum.map_join(samples, ",", &Float.to_string/1)], "\t"))
end
