#!/usr/bin/env python3
"""Drive a headless Chromium over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4, so
no WebSocket client is needed), for the dashboard's tests and benchmark.

  cdp.py paint URL LOADS     load URL LOADS times, each in a new tab, and
                             print per load one JSON line: window.abPaint
                             (the page's first paint with data) and the
                             console messages
  cdp.py selftest URL [CMD]  load URL (#selftest...), wait for the page's
                             window.abReady, run CMD with sh -c, then wait
                             for #selftest-result and print it

Console messages (errors, warnings, exceptions, failed loads) go to the
standard error as lines starting with CONSOLE.  Environment: CHROMIUM
(default chromium), CDP_TIMEOUT (seconds per wait, default 120)."""
import json, os, select, shutil, subprocess, sys, tempfile, time

TIMEOUT = float(os.environ.get('CDP_TIMEOUT', '120'))


class Browser:
    def __init__(self):
        self.ud = tempfile.mkdtemp(prefix='cdp.')
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def child():
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.p = subprocess.Popen(
            [os.environ.get('CHROMIUM', 'chromium'), '--headless',
             '--no-sandbox', '--disable-gpu', '--no-first-run',
             '--disable-background-networking', '--disable-component-update',
             '--disable-sync', '--disable-quic', '--remote-debugging-pipe',
             '--user-data-dir=' + self.ud, 'about:blank'],
            preexec_fn=child, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf, self.n, self.console = b'', 0, []

    def send(self, method, params=None, session=None):
        self.n += 1
        m = {'id': self.n, 'method': method, 'params': params or {}}
        if session:
            m['sessionId'] = session
        os.write(self.to_w, json.dumps(m).encode() + b'\0')
        return self.wait_id(self.n)

    def event(self, m):
        p, meth = m.get('params', {}), m.get('method', '')
        if meth == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'warning', 'assert'):
            self.console.append('%s: %s' % (p['type'], ' '.join(
                str(a.get('value', a.get('description', ''))) for a in p.get('args', []))))
        elif meth == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            self.console.append('exception: %s %s' % (d.get('text', ''),
                d.get('exception', {}).get('description', '')))
        elif meth == 'Log.entryAdded' and p['entry'].get('level') in ('error', 'warning'):
            self.console.append('%s: %s %s' % (p['entry']['level'],
                p['entry'].get('text', ''), p['entry'].get('url', '')))

    def wait_id(self, want):
        end = time.time() + TIMEOUT
        while True:
            while b'\0' in self.buf:
                msg, self.buf = self.buf.split(b'\0', 1)
                m = json.loads(msg)
                if m.get('id') == want:
                    if 'error' in m:
                        raise RuntimeError(m['error'])
                    return m.get('result', {})
                self.event(m)
            left = end - time.time()
            if left <= 0:
                raise TimeoutError('no answer from Chromium')
            r, _, _ = select.select([self.from_r], [], [], min(left, 0.5))
            if r:
                data = os.read(self.from_r, 1 << 20)
                if not data:
                    raise RuntimeError('Chromium went away')
                self.buf += data

    def tab(self, url):
        t = self.send('Target.createTarget', {'url': 'about:blank'})['targetId']
        s = self.send('Target.attachToTarget', {'targetId': t, 'flatten': True})['sessionId']
        self.send('Runtime.enable', session=s)
        self.send('Log.enable', session=s)
        self.send('Page.navigate', {'url': url}, session=s)
        return t, s

    def value(self, s, expr):
        r = self.send('Runtime.evaluate', {'expression': expr, 'returnByValue': True}, session=s)
        return r.get('result', {}).get('value')

    def until(self, s, expr):
        end = time.time() + TIMEOUT
        while time.time() < end:
            v = self.value(s, expr)
            if v:
                return v
            time.sleep(0.05)
        raise TimeoutError('waited %g s for %s' % (TIMEOUT, expr))

    def close(self):
        self.p.kill()
        self.p.wait()
        shutil.rmtree(self.ud, ignore_errors=True)


def main():
    mode, url = sys.argv[1], sys.argv[2]
    b = Browser()
    status = 0
    try:
        if mode == 'paint':
            for _ in range(int(sys.argv[3])):
                b.console = []
                t, s = b.tab(url)
                v = json.loads(b.until(s, 'window.abPaint && JSON.stringify(window.abPaint)'))
                v['console'] = b.console
                print(json.dumps(v), flush=True)
                b.send('Target.closeTarget', {'targetId': t})
        elif mode == 'selftest':
            t, s = b.tab(url)
            b.until(s, 'window.abReady === true')
            if len(sys.argv) > 3:
                subprocess.run(['sh', '-c', sys.argv[3]], check=True)
            print(b.until(s, "(function(){var e=document.getElementById('selftest-result');"
                             "return e && /^SELFTEST/.test(e.textContent) ? e.textContent : null;})()"))
        else:
            sys.exit('cdp.py: unknown mode ' + mode)
    except Exception as e:  # reported, never a silent pass
        print('cdp.py: %s' % e, file=sys.stderr)
        status = 1
    finally:
        for c in b.console:
            print('CONSOLE ' + c, file=sys.stderr)
        b.close()
    sys.exit(status)


main()
