"""Drive a command in a pseudo-terminal of COLSxROWS: send keys with pauses, print
everything the program wrote, then its exit status on the last line as "EXIT <n>".
Usage: pty-drive.py COLS ROWS KEYS_JSON -- command args...
KEYS_JSON is a list of [delay_seconds, text] pairs. Standard library only."""
import json, os, pty, select, struct, sys, time, fcntl, termios

cols, rows, keys = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
cmd = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm-256color'
    os.environ.pop('NO_COLOR', None)
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
out = bytearray()

def pump(seconds):
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return True
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            out.extend(data)

pump(2.5)
for delay, text in keys:
    os.write(fd, text.encode())
    if not pump(delay):
        break
pump(1.0)
_, status = os.waitpid(pid, os.WNOHANG)
if _ == 0:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('utf-8', 'replace'))
sys.stdout.write('\nEXIT %d\n' % (os.waitstatus_to_exitcode(status)))
