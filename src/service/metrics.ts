import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { IndexStatus } from "../index/follow";

/** The service's Prometheus metrics: requests, latencies and how far the index is behind the chain. */
export function serviceMetrics(status: IndexStatus) {
  const registry = new Registry();
  const requests = new Counter({ name: "sakshya_http_requests_total", help: "HTTP requests answered, by method, route and status", labelNames: ["method", "route", "status"], registers: [registry] });
  const latency = new Histogram({
    name: "sakshya_http_request_duration_seconds",
    help: "Time to answer, by method and route",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: "sakshya_index_block",
    help: "The last block the index holds in full",
    registers: [registry],
    collect() {
      if (status.indexed !== undefined) this.set(status.indexed);
    },
  });
  new Gauge({
    name: "sakshya_index_lag_blocks",
    help: "Blocks between the chain's head and the index",
    registers: [registry],
    collect() {
      if (status.indexed !== undefined && status.head !== undefined) this.set(status.head - status.indexed);
    },
  });
  new Gauge({
    name: "sakshya_index_up",
    help: "1 while the index reaches the chain, 0 while its steps fail",
    registers: [registry],
    collect() {
      this.set(status.error === undefined ? 1 : 0);
    },
  });
  return { registry, requests, latency };
}
