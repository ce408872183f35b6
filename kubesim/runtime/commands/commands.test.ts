import { describe, expect, it } from 'vitest';
import { bb, runPod, service, sh, slice, world, type World } from '../testing/fixtures.ts';

function cluster(): World {
  const w = world(3);
  runPod(w, 'web-0', { ip: '10.244.1.5', labels: { app: 'web' }, containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
  service(w, 'backend-svc', { clusterIP: '10.96.45.62', ports: [{ port: 80 }] });
  slice(w, 'backend-svc', [{ port: 80 }], [{ ip: '10.244.1.5' }]);
  service(w, 'down', { clusterIP: '10.96.1.1', ports: [{ port: 80 }] });
  slice(w, 'down', [{ port: 80 }], []);
  service(w, 'local', { clusterIP: '10.96.2.2', ports: [{ port: 80 }], internalTrafficPolicy: 'Local' });
  slice(w, 'local', [{ port: 80 }], [{ ip: '10.244.1.5', node: 'other-node' }]);
  return w;
}

describe('curl (nginx image)', () => {
  it.each([
    ['status code only', "curl -s -o /dev/null -w '%{http_code}' http://backend-svc", '200', '', 0],
    ['404 with -w', "curl -s -o /dev/null -w '%{http_code}' backend-svc/nope", '404', '', 0],
    ['-f on 404', 'curl -sSf backend-svc/nope', '', 'curl: (22) The requested URL returned error: 404\n', 22],
    ['refused', 'curl backend-svc.default.svc.cluster.local:81 || curl down', '', 'curl: (28) Failed to connect to backend-svc.default.svc.cluster.local port 81 after 134000 ms: Couldn\'t connect to server\ncurl: (7) Failed to connect to down port 80 after 0 ms: Couldn\'t connect to server\n', 7],
    ['unresolvable host', 'curl http://x', '', 'curl: (6) Could not resolve host: x\n', 6],
    ['-s hides errors', 'curl -s http://x', '', '', 6],
    ['--max-time on a dropped connection', 'curl -sS -m 2 local', '', 'curl: (28) Connection timed out after 2000 milliseconds\n', 28],
    ['-I', 'curl -sI backend-svc | head -1', 'HTTP/1.1 200 OK\r\n', '', 0],
    // telnet://: stdin EOF does not end the session; -m does ("Time-out"), or the server closing (nginx after 60s).
    ['telnet, open port, -m', 'curl -sS -m 2 telnet://backend-svc:80 </dev/null', '', 'curl: (28) Time-out\n', 28],
    ['telnet, no endpoints', 'curl -sS -m 2 telnet://down:80', '', "curl: (7) Failed to connect to down port 80 after 0 ms: Couldn't connect to server\n", 7],
    ['telnet, dropped', 'curl -sS -m 2 telnet://local:80', '', 'curl: (28) Connection timed out after 2000 milliseconds\n', 28],
    ['telnet, nginx closes the idle connection', 'curl -s telnet://backend-svc:80 </dev/null', '', '', 0],
    ['telnet, stdin goes to the server', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | curl -s -m 2 telnet://backend-svc:80 | head -1', 'HTTP/1.0 200 OK\r\n', '', 0],
  ])('%s', async (_why, script, stdout, stderr, code) => {
    const w = cluster();
    const web = runPod(w, 'client', { ip: '10.244.1.9', containers: [{ name: 'nginx', image: 'nginx:1.28' }] });
    const r = await sh(w, web, script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, stderr, code]);
  });
});

describe('busybox wget and nc', () => {
  it.each([
    ['wget -qO- body', 'wget -qO- http://backend-svc | grep -c "Welcome to nginx"', '2\n', '', 0],
    ['wget progress lines', 'wget -O- backend-svc >/dev/null', '',
      "Connecting to backend-svc (10.96.45.62:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n", 0],
    ['wget refused', 'wget -qO- -T 2 down', '', "wget: can't connect to remote host (10.96.1.1): Connection refused\n", 1],
    ['wget dropped', 'wget -qO- -T 2 local', '', 'wget: download timed out\n', 1],
    ['wget unresolved', 'wget -qO- web', '', "wget: bad address 'web'\n", 1],
    ['wget HTTP error', 'wget -qO- backend-svc/x', '', 'wget: server returned error: HTTP/1.1 404 Not Found\n', 1],
    ['wget --spider', 'wget -q --spider backend-svc && echo ok', 'ok\n', '', 0],
    ['wget -S headers', 'wget -qS -O /dev/null backend-svc 2>&1 | head -2', '  HTTP/1.1 200 OK\n  Server: nginx/1.28.0\n', '', 0],
    ['nc -z open', 'nc -z -w 2 backend-svc 80 && echo open', 'open\n', '', 0],
    ['nc -zv open', 'nc -zv backend-svc 80', '', 'backend-svc (10.96.45.62:80) open\n', 0],
    ['nc -z refused', 'nc -z -w 2 down 80; echo $?', '1\n', '', 0],
    ['nc raw HTTP', 'printf "GET / HTTP/1.0\\r\\n\\r\\n" | nc backend-svc 80 | head -1', 'HTTP/1.0 200 OK\r\n', '', 0],
  ])('%s', async (_why, script, stdout, stderr, code) => {
    const w = cluster();
    const client = runPod(w, 'client', { ip: '10.244.1.9', containers: [bb()] });
    const r = await sh(w, client, script);
    expect([r.stdout, r.stderr, r.exitCode]).toEqual([stdout, stderr, code]);
  });
});
