"""Drive a command in a pseudo-terminal of COLSxROWS, like a person at a keyboard: before
each key, wait until the screen shows a given text (so a slow start or a loaded machine
never loses a key), then type it. Print everything the program wrote, then its exit
status on the last line as "EXIT <n>" (or "TIMEOUT waiting for <text>").
Usage: pty-drive.py COLS ROWS STEPS_JSON -- command args...
STEPS_JSON is a list of [wait_for_text, key] pairs; wait_for_text may be "" (no wait).
Standard library only."""
import json, os, pty, re, select, struct, sys, time, fcntl, termios

cols, rows, steps = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
cmd = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm-256color'
    os.environ.pop('NO_COLOR', None)
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
out = bytearray()
ANSI = re.compile(rb'\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]')
mark = 0  # wait only for text written after the previous key

def read_some(timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    out.extend(data)
    return True

def wait_for(text, limit=20.0):
    end = time.time() + limit
    needle = text.encode()
    while time.time() < end:
        if needle in ANSI.sub(b'', bytes(out[mark:])):
            return True
        if not read_some(0.05):
            return needle in ANSI.sub(b'', bytes(out[mark:]))
    return False

ok = True
for text, key in steps:
    if text and not wait_for(text):
        ok = False
        sys.stdout.write(out.decode('utf-8', 'replace'))
        sys.stdout.write('\nTIMEOUT waiting for %r\n' % text)
        break
    mark = len(out)
    os.write(fd, key.encode())
if ok:
    end = time.time() + 10
    while time.time() < end and read_some(0.1):
        if os.waitpid(pid, os.WNOHANG)[0] != 0:
            break
_, status = os.waitpid(pid, os.WNOHANG)
if _ == 0:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
while read_some(0):
    pass
if ok:
    sys.stdout.write(out.decode('utf-8', 'replace'))
    sys.stdout.write('\nEXIT %d\n' % (os.waitstatus_to_exitcode(status)))
