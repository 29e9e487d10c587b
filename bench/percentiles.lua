-- Prints wrk's figures as one JSON line: requests per second, median and 95th percentile (ms).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH {"rps": %.2f, "p50": %.3f, "p95": %.3f, "requests": %d, "errors": %d}\n',
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
