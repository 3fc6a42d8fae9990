# The checkout in Elixir: each metrics call runs in a process of
# its own (spawn, or Task.start), so its crash is logged and ends
# that process only.
# Run: elixir lessons/01-fire-and-forget/checkout.exs
defmodule Metrics do
  def record(order_id) do
    Process.sleep(10)
    if order_id == "order-2", do: raise("metrics service refused #{order_id}")
    :ok
  end
end

for order_id <- ["order-1", "order-2", "order-3"] do
  spawn(fn -> Metrics.record(order_id) end)
  # or Task.start(fn -> Metrics.record(order_id) end): {:ok, pid}
  IO.puts("checkout done for #{order_id}")
end

Process.sleep(100)
IO.puts("the caller is still running")
