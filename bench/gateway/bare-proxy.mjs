// The floor `npm run bench:gateway` compares with: the least a Node proxy can do, node:http in and
// out with a keep-alive agent, mapping the gateway's route prefixes to the service's paths and
// piping both bodies. No routing table, auth, limits, header hygiene or error handling.
import { Agent, createServer, request } from 'node:http';

const target = new URL(process.env.TARGET_URL);
const agent = new Agent({ keepAlive: true, maxSockets: 128 });
const PREFIXES = [['/api/stored-items', '/stored-items'], ['/api/items', '/items'], ['/secure/items', '/items']];

createServer((req, res) => {
  if (req.url === '/health') return void res.end('{"status":"ok"}');
  const [from, to] = PREFIXES.find(([p]) => req.url.startsWith(p)) ?? ['', ''];
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: to + req.url.slice(from.length), headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  req.pipe(upstream);
}).listen(Number(process.env.PORT), process.env.HOST);
