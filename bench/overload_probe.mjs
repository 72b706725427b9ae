// The probes of bench/overload.sh: each target asked every `--every` ms (a fresh connection
// each time, as a load balancer's health check does; the next ask waits for the answer or
// its timeout) from now until `--until` (epoch ms); prints one JSON object on stdout:
// {"<target>": [[epoch_ms_sent, ms, status], ...], ...} (status 0: no answer within
// `--timeout` ms).
//   node bench/overload_probe.mjs --port P --until EPOCH_MS [--every 50] [--timeout 5000] TARGET...
import http from "node:http";

const args = process.argv.slice(2);
const opt = { every: 50, timeout: 5000 };
const targets = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith("--")) opt[args[i].slice(2)] = Number(args[++i]);
  else targets.push(args[i]);
}

function ask(target) {
  return new Promise((resolve) => {
    const sent = Date.now();
    const start = process.hrtime.bigint();
    const done = (status) => resolve([sent, Number(process.hrtime.bigint() - start) / 1e6, status]);
    const req = http.get({ host: "127.0.0.1", port: opt.port, path: target, agent: false }, (res) => {
      res.on("data", () => {});
      res.on("end", () => done(res.statusCode));
    });
    req.setTimeout(opt.timeout, () => req.destroy(new Error("timeout")));
    req.on("error", () => done(0));
  });
}

const results = {};
await Promise.all(
  targets.map(async (target) => {
    results[target] = [];
    while (Date.now() < opt.until) {
      const next = Date.now() + opt.every;
      results[target].push(await ask(target));
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }),
);
console.log(JSON.stringify(results));
