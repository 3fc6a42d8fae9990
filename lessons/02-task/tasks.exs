# Lesson 02's ideas in Elixir: await with a timeout, yield and
# shutdown, bounded concurrency.
# Run: elixir lessons/02-task/tasks.exs
report = Task.async(fn -> Process.sleep(20); "report ready" end)
IO.puts(Task.await(report, 5000))

# Task.await exits the caller on timeout; Task.yield waits and
# answers nil if the task is not done yet.
search = Task.async(fn -> Process.sleep(60_000) end)
IO.inspect(Task.yield(search, 10), label: "after 10 ms")
Task.shutdown(search, :brutal_kill)

# At most 3 at once, as TaskSupervisor({ concurrency: 3 }) does.
resize = fn image -> Process.sleep(10); image end

done =
  1..10
  |> Task.async_stream(resize, max_concurrency: 3)
  |> Enum.count()

IO.puts("#{done} tasks done")
