// A gRPC client below gRPC, for the hostile-client test (hub_adversarial_test): it speaks
// HTTP/2 with Node's own http2 module, so it can do what no well-behaved gRPC client does.
//   node raw_grpc_client.mjs stall --port P --streams N --announce BYTES --send BYTES --hold-ms MS
//     opens N replication streams, each announcing a message of BYTES and sending fewer, then
//     stalls; prints {"statuses": {"<grpc-status or none>": count}} once every stream ended
//     or MS passed (then it closes what is left).
//   node raw_grpc_client.mjs garbage --port P
//     sends one message that is not a NodeMessage; prints {"status": "<grpc-status>"}.
import http2 from 'node:http2';

const [mode, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, '')] = Number(rest[i + 1]);
const path = '/ess.federation.v1.Replication/Replicate';

function frame(length, body) {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt8(0, 0);
  prefix.writeUInt32BE(length, 1);
  return Buffer.concat([prefix, body]);
}

function open(session) {
  const stream = session.request({
    ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers',
  });
  // Ends with the stream's grpc-status as soon as the hub says it (a stream whose message is
  // still being written would otherwise stay open), or 'none' if it closes without one.
  const done = new Promise((resolve) => {
    const ended = (status) => { resolve(status); stream.destroy(); };
    stream.on('response', (headers) => { if (headers['grpc-status']) ended(headers['grpc-status']); });
    stream.on('trailers', (trailers) => { if (trailers['grpc-status']) ended(trailers['grpc-status']); });
    stream.on('data', () => {});
    stream.on('error', () => {});
    stream.on('close', () => resolve('none'));
  });
  return { stream, done };
}

const session = http2.connect(`http://127.0.0.1:${opt.port}`);
session.on('error', () => {});

if (mode === 'stall') {
  const streams = [];
  for (let i = 0; i < opt.streams; ++i) {
    const s = open(session);
    s.stream.write(frame(opt.announce, Buffer.alloc(opt.send, 0x61)));
    streams.push(s);
  }
  const timer = setTimeout(() => { for (const s of streams) s.stream.destroy(); }, opt['hold-ms']);
  const statuses = {};
  for (const status of await Promise.all(streams.map((s) => s.done))) statuses[status] = (statuses[status] ?? 0) + 1;
  clearTimeout(timer);
  console.log(JSON.stringify({ statuses }));
} else if (mode === 'garbage') {
  const s = open(session);
  // Field 1 (the hello) as length-delimited with a length far past the end: no parser accepts it.
  s.stream.end(frame(6, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])));
  console.log(JSON.stringify({ status: await s.done }));
} else {
  console.error(`mode inconnu : ${mode}`);
  process.exit(2);
}
session.destroy();
