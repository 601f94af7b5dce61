#!/usr/bin/env python3
"""Drive a headless Chromium over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4, so
no WebSocket client is needed), for the report's and the dashboard's
tests and benchmark.

  cdp.py paint URL LOADS     load URL LOADS times, each in a new tab, and
                             print per load one JSON line: window.abPaint
                             (the page's first paint with data) and the
                             console messages
  cdp.py selftest URL [CMD]  load URL (#selftest...), wait for the page's
                             window.abReady, run CMD with sh -c, then wait
                             for #selftest-result and print it
  cdp.py dom URL             load URL, wait for its load event (and, for a
                             #selftest URL, for #selftest-result to be
                             written) and print the DOM (as --dump-dom)
  cdp.py shot URL FILE W H [EXPR]
                             load URL in a W x H window without scroll
                             bars, wait for its load event (and EXPR to be
                             true, if given) and write a PNG to FILE
  cdp.py serve DIR           the browser server: one Chromium (started at
                             once, again if it dies) serves
                             the modes above to clients on DIR/cdp.sock
                             until it is killed

Each load (but paint's, which shares one profile on purpose) is a page in
a browser context of its own: nothing is shared with another load.  With
AB_CDP set to a server's socket the modes are run by that server (one
browser for a whole make check instead of one per file; CMD still runs
here); without it, or when nothing answers there, by a browser started
for this call alone.

Console messages (every console call, exceptions, the log's errors and
warnings) go to the standard error as lines starting with CONSOLE.
Environment: CHROMIUM (default chromium), CDP_TIMEOUT (seconds per wait,
default 120)."""
import base64, io, json, os, shutil, signal, socket, subprocess, sys
import tempfile, threading, time

TIMEOUT = float(os.environ.get('CDP_TIMEOUT', '120'))
SELFTEST_DONE = ("(function(){var e=document.getElementById('selftest-result');"
                 "return e && /^SELFTEST/.test(e.textContent) ? e.textContent : null;})()")


class Browser:
    """One Chromium; its pipe is read by a thread of its own, so that
    several pages (threads) can wait on it at once."""

    def __init__(self):
        self.ud = tempfile.mkdtemp(prefix='cdp.')
        to_r, self.to_w = os.pipe()
        from_r, from_w = os.pipe()

        def child():
            os.setpgid(0, 0)    # its own group: close() ends all of it
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
        self.n = 0
        self.lock = threading.Lock()        # the id counter and the pipe
        self.cond = threading.Condition()   # answers and self.dead
        self.answers = {}
        self.sinks = {}                     # sessionId -> event handler
        self.dead = False
        threading.Thread(target=self.reader, args=(from_r,), daemon=True).start()

    def reader(self, fd):
        buf = b''
        while True:
            try:
                data = os.read(fd, 1 << 20)
            except OSError:
                data = b''
            if not data:
                with self.cond:
                    self.dead = True
                    self.cond.notify_all()
                return
            buf += data
            while b'\0' in buf:
                msg, buf = buf.split(b'\0', 1)
                m = json.loads(msg)
                if 'id' in m:
                    with self.cond:
                        self.answers[m['id']] = m
                        self.cond.notify_all()
                else:
                    sink = self.sinks.get(m.get('sessionId'))
                    if sink:
                        sink(m)

    def send(self, method, params=None, session=None):
        with self.lock:
            self.n += 1
            want = self.n
            m = {'id': want, 'method': method, 'params': params or {}}
            if session:
                m['sessionId'] = session
            data = json.dumps(m).encode() + b'\0'
            while data:
                data = data[os.write(self.to_w, data):]
        end = time.time() + TIMEOUT
        with self.cond:
            while want not in self.answers:
                left = end - time.time()
                if self.dead:
                    raise RuntimeError('Chromium went away')
                if left <= 0:
                    raise TimeoutError('no answer from Chromium to ' + method)
                self.cond.wait(min(left, 1))
            m = self.answers.pop(want)
        if 'error' in m:
            raise RuntimeError('%s: %s' % (method, m['error']))
        return m.get('result', {})

    def close(self):
        try:
            os.killpg(self.p.pid, 9)
        except OSError:
            self.p.kill()
        self.p.wait()
        try:
            os.close(self.to_w)
        except OSError:
            pass
        shutil.rmtree(self.ud, ignore_errors=True)


class Page:
    """A tab, in a browser context of its own unless shared=True; its
    console messages in self.console."""

    def __init__(self, b, pages, shared=False):
        self.b, self.console, self.ctx, self.closed = b, [], None, False
        pages.append(self)
        p = {'url': 'about:blank'}
        if not shared:
            self.ctx = b.send('Target.createBrowserContext')['browserContextId']
            p['browserContextId'] = self.ctx
        self.t = b.send('Target.createTarget', p)['targetId']
        self.s = b.send('Target.attachToTarget', {'targetId': self.t, 'flatten': True})['sessionId']
        b.sinks[self.s] = self.event
        self.send('Runtime.enable')
        self.send('Log.enable')
        self.send('Page.enable')

    def send(self, method, params=None):
        return self.b.send(method, params, self.s)

    def event(self, m):
        p, meth = m.get('params', {}), m.get('method', '')
        if meth == 'Runtime.consoleAPICalled':
            self.console.append('%s: %s' % (p.get('type'), ' '.join(
                str(a.get('value', a.get('description', ''))) for a in p.get('args', []))))
        elif meth == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            self.console.append('exception: %s %s' % (d.get('text', ''),
                d.get('exception', {}).get('description', '')))
        elif meth == 'Log.entryAdded' and p['entry'].get('level') in ('error', 'warning'):
            self.console.append('%s: %s %s' % (p['entry']['level'],
                p['entry'].get('text', ''), p['entry'].get('url', '')))

    def go(self, url):
        r = self.send('Page.navigate', {'url': url})
        if r.get('errorText'):
            raise RuntimeError('%s: %s' % (url, r['errorText']))

    def value(self, expr):
        r = self.send('Runtime.evaluate', {'expression': expr, 'returnByValue': True})
        return r.get('result', {}).get('value')

    def until(self, expr, what=None):
        end = time.time() + TIMEOUT
        while time.time() < end:
            v = self.value(expr)
            if v:
                return v
            time.sleep(0.05)
        raise TimeoutError('waited %g s for %s' % (TIMEOUT, what or expr))

    def loaded(self):
        self.until("document.readyState === 'complete'", 'the load event')

    def close(self):
        if self.closed:
            return
        self.closed = True
        self.b.sinks.pop(getattr(self, 's', None), None)
        try:
            if getattr(self, 't', None):
                self.b.send('Target.closeTarget', {'targetId': self.t})
            if self.ctx:
                self.b.send('Target.disposeBrowserContext', {'browserContextId': self.ctx})
        except (RuntimeError, TimeoutError, OSError):
            pass


def mode_paint(b, args, out, run, pages):
    for _ in range(int(args[1])):
        pg = Page(b, pages, shared=True)
        pg.go(args[0])
        v = json.loads(pg.until('window.abPaint && JSON.stringify(window.abPaint)'))
        v['console'] = pg.console
        out.write(json.dumps(v) + '\n')
        pg.close()


def mode_selftest(b, args, out, run, pages):
    pg = Page(b, pages)
    pg.go(args[0])
    pg.until('window.abReady === true')
    if len(args) > 1:
        run(args[1])
    out.write(pg.until(SELFTEST_DONE, '#selftest-result') + '\n')


def mode_dom(b, args, out, run, pages):
    pg = Page(b, pages)
    pg.go(args[0])
    pg.loaded()
    late = None
    if '#selftest' in args[0]:
        try:
            pg.until(SELFTEST_DONE, '#selftest-result')
        except TimeoutError as e:
            late = e    # the DOM as it is, then the failure
    out.write(pg.value('document.documentElement.outerHTML') + '\n')
    if late:
        raise late


def mode_shot(b, args, out, run, pages):
    url, path, w, h = args[0], args[1], int(args[2]), int(args[3])
    pg = Page(b, pages)
    pg.send('Emulation.setDeviceMetricsOverride',
            {'width': w, 'height': h, 'deviceScaleFactor': 1, 'mobile': False})
    pg.send('Emulation.setScrollbarsHidden', {'hidden': True})
    pg.go(url)
    pg.loaded()
    if len(args) > 4:
        pg.until(args[4])
    png = base64.b64decode(pg.send('Page.captureScreenshot', {'format': 'png'})['data'])
    with open(path + '.part', 'wb') as f:
        f.write(png)
    os.replace(path + '.part', path)


MODES = {'paint': mode_paint, 'selftest': mode_selftest, 'dom': mode_dom,
         'shot': mode_shot}
NARGS = {'paint': (2, 2), 'selftest': (1, 2), 'dom': (1, 1), 'shot': (4, 5)}


def perform(b, argv, out, err, run):
    """Run the mode argv[0] on the browser b; its output to out, console
    messages and errors to err.  The exit status."""
    mode, args = argv[0], argv[1:]
    lo, hi = NARGS.get(mode, (0, -1))
    if not lo <= len(args) <= hi:
        err.write('cdp.py: usage: see tests/cdp.py (%s)\n' % mode)
        return 2
    status, pages = 0, []
    try:
        MODES[mode](b, args, out, run, pages)
    except Exception as e:  # reported, never a silent pass
        err.write('cdp.py: %s\n' % e)
        status = 1
    finally:
        for p in pages:
            for c in p.console:
                err.write('CONSOLE ' + c + '\n')
            p.close()
    return status


def run_here(cmd):
    subprocess.run(['sh', '-c', cmd], check=True)


def serve(d):
    """The browser server on d/cdp.sock (its Chromium started at once):
    one request per connection, a
    line {"argv": [...], "timeout": S}; when the mode has a command to
    run, the server sends {"run": CMD} and waits for {"status": N}; last
    it sends {"out": ..., "err": ..., "status": N}."""
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *a: sys.exit(0))
    path = os.path.join(d, 'cdp.sock')
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path + '.new')
    os.chmod(path + '.new', 0o600)
    s.listen(16)
    os.rename(path + '.new', path)
    state = {'b': None}
    start = threading.Lock()

    def browser():
        with start:
            b = state['b']
            if b is None or b.dead or b.p.poll() is not None:
                if b is not None:
                    b.close()
                state['b'] = b = Browser()
            return b

    def one(c):
        f = c.makefile('rwb')
        try:
            req = json.loads(f.readline())

            def run(cmd):
                f.write(json.dumps({'run': cmd}).encode() + b'\n')
                f.flush()
                r = json.loads(f.readline())
                if r.get('status') != 0:
                    raise RuntimeError('%s: exit %s' % (cmd, r.get('status')))
            out, err = io.StringIO(), io.StringIO()
            try:
                b = browser()
            except Exception as e:
                err.write('cdp.py: the server cannot start Chromium: %s\n' % e)
                status = 1
            else:
                status = perform(b, req['argv'], out, err, run)
            f.write(json.dumps({'out': out.getvalue(), 'err': err.getvalue(),
                                'status': status}).encode() + b'\n')
            f.flush()
        except (OSError, ValueError):
            pass
        finally:
            c.close()

    # Started now, before any other thread (Popen's preexec_fn), and while
    # the first test files start; again later if it dies.
    try:
        browser()
    except Exception as e:
        sys.stderr.write('cdp.py: Chromium does not start: %s\n' % e)
    try:
        while True:
            c, _ = s.accept()
            threading.Thread(target=one, args=(c,), daemon=True).start()
    finally:
        if state['b']:
            state['b'].close()


def client(path, argv):
    """The exit status of argv run by the server at path, or None when no
    server answers there."""
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(TIMEOUT * 4)
    try:
        c.connect(path)
    except OSError:
        return None
    f = c.makefile('rwb')
    f.write(json.dumps({'argv': argv, 'timeout': TIMEOUT}).encode() + b'\n')
    f.flush()
    while True:
        line = f.readline()
        if not line:
            sys.stderr.write('cdp.py: the server at %s went away\n' % path)
            return 1
        m = json.loads(line)
        if 'run' in m:
            rc = subprocess.run(['sh', '-c', m['run']]).returncode
            f.write(json.dumps({'status': rc}).encode() + b'\n')
            f.flush()
            continue
        sys.stdout.write(m['out'])
        sys.stderr.write(m['err'])
        return m['status']


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in list(MODES) + ['serve']:
        sys.exit(__doc__)
    if sys.argv[1] == 'serve':
        serve(sys.argv[2])
        return
    if os.environ.get('AB_CDP'):
        status = client(os.environ['AB_CDP'], sys.argv[1:])
        if status is not None:
            sys.exit(status)
        sys.stderr.write('cdp.py: no browser server at %s: starting a browser\n'
                         % os.environ['AB_CDP'])
    b = Browser()
    try:
        status = perform(b, sys.argv[1:], sys.stdout, sys.stderr, run_here)
    finally:
        b.close()
    sys.exit(status)


main()
