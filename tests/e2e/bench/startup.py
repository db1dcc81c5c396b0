#!/usr/bin/env python3
"""Cold start to the first screen: how long from exec of the app to its first screen painted.

Starts its own Xvfb, whose framebuffer is a file (-fbdir), so the screen can be read
with no X client and no hook in the app. Each run starts the binary with a fresh,
empty vault folder and HOME, exactly as a user's first start (no WebDriver, the
shipped incognito window), reads the framebuffer every few milliseconds, and waits
until the screen has settled. Then:

  window  = the first frame that is not the black root window (the window is mapped)
  content = the first frame with something drawn in the window (at least 8 colours;
            the app's frame and "Starting...")
  painted = the first frame that matches the settled screen (at most 1% of sampled
            pixels differ, so a blinking caret does not count): the first-run screen
            as the user sees it.

Prints one JSON object: the median and every run. Used by scripts/bench.sh.
  tests/e2e/bench/startup.py --app target/release/packplan [--runs 5] [--screenshot FILE]
"""

import argparse
import hashlib
import json
import mmap
import os
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

WIDTH, HEIGHT = 1280, 800
STEP = 4  # sample every 4th pixel of every 4th row
POLL = 0.004  # seconds between looks at the framebuffer
SETTLE = 5.0  # seconds the screen is watched after the window appears
TIMEOUT = 60.0


class Framebuffer:
    """Xvfb's screen 0, read from its XWD file in -fbdir."""

    def __init__(self, path):
        self.file = open(path, "rb")
        self.map = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        header = struct.unpack(">25I", self.map[:100])
        header_size, depth, width, height = header[0], header[3], header[4], header[5]
        bits_per_pixel, bytes_per_line, ncolors = header[11], header[12], header[19]
        if (width, height, bits_per_pixel, depth) != (WIDTH, HEIGHT, 32, 24):
            raise SystemExit(f"unexpected framebuffer {width}x{height}, {bits_per_pixel} bpp, depth {depth}")
        offset = header_size + ncolors * 12
        self.pixels = memoryview(self.map)[offset : offset + bytes_per_line * height].cast("I")
        self.black = self.sample_of(bytes(4 * WIDTH * HEIGHT))

    @staticmethod
    def sample_of(raw):
        view = memoryview(raw).cast("I")
        return b"".join(view[r * WIDTH : (r + 1) * WIDTH : STEP].tobytes() for r in range(0, HEIGHT, STEP))

    def sample(self):
        return b"".join(
            self.pixels[r * WIDTH : (r + 1) * WIDTH : STEP].tobytes() for r in range(0, HEIGHT, STEP)
        )

    def png(self, path):
        """The whole screen as a PNG (for a look at what was measured)."""
        raw = self.pixels.tobytes()
        rows = []
        for y in range(HEIGHT):
            line = raw[y * WIDTH * 4 : (y + 1) * WIDTH * 4]
            rgb = bytearray(WIDTH * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[2::4], line[1::4], line[0::4]  # BGRX -> RGB
            rows.append(b"\0" + bytes(rgb))
        chunk = lambda kind, data: (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)))
            f.write(chunk(b"IDAT", zlib.compress(b"".join(rows), 6)))
            f.write(chunk(b"IEND", b""))


def differing(a, b):
    """Share of sampled pixels that differ between two samples."""
    va, vb = memoryview(a).cast("I"), memoryview(b).cast("I")
    return sum(1 for x, y in zip(va, vb) if x != y) / len(va)


def colours(sample):
    return len(set(memoryview(sample).cast("I")))


def start_xvfb(fbdir):
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-fbdir", fbdir, "-br", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    display = proc.stdout.readline().decode().strip()
    if not display:
        raise SystemExit("Xvfb did not start")
    return proc, f":{display}"


def app_env(home, display):
    for d in ("data", "config", "cache", "run", "tmp"):
        os.makedirs(os.path.join(home, d), mode=0o700)
    return {
        "PATH": os.environ["PATH"],
        "HOME": home,
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_RUNTIME_DIR": os.path.join(home, "run"),
        "TMPDIR": os.path.join(home, "tmp"),
        "LANG": "C.UTF-8",
        "NO_AT_BRIDGE": "1",
        "GDK_BACKEND": "x11",
        "DISPLAY": display,
    }


def stop(proc):
    """Ends the app and every process it started (they share its process group)."""
    for sig, wait in ((signal.SIGTERM, 3), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            # WebKit's helpers may outlive the app for a moment; make sure the group is gone
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def one_run(app, fb, display, screenshot=None):
    home = tempfile.mkdtemp(prefix="packplan-bench-")
    try:
        env = app_env(home, display)
        vault = os.path.join(home, "vault")
        deadline = time.monotonic() + 10
        while fb.sample() != fb.black:  # the last run's window is gone
            if time.monotonic() > deadline:
                raise SystemExit("the screen is not empty before the start")
            time.sleep(0.05)
        frames = []  # (seconds since exec, sample), only when the screen changed
        last = fb.black
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [app, "--vault", vault],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            window_at = None
            while True:
                now = time.monotonic() - t0
                s = fb.sample()
                if s != last:
                    frames.append((now, s))
                    last = s
                    if window_at is None:
                        window_at = now
                if window_at is not None and now > window_at + SETTLE:
                    break
                if now > TIMEOUT:
                    raise SystemExit(f"no window within {TIMEOUT} s")
                if proc.poll() is not None:
                    raise SystemExit(f"the app exited with {proc.returncode}")
                time.sleep(POLL)
            final = last
            if colours(final) < 8:
                raise SystemExit("the settled screen is almost uniform: nothing was drawn")
            content_at = next(t for t, s in frames if colours(s) >= 8)
            painted_at = next(t for t, s in frames if differing(s, final) <= 0.01)
            if screenshot:
                fb.png(screenshot)
            return {
                "window_ms": window_at * 1000,
                "content_ms": content_at * 1000,
                "painted_ms": painted_at * 1000,
                "frames": len(frames),
            }
        finally:
            stop(proc)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", required=True, help="the Packplan binary (the release build)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--screenshot", help="write the settled first screen of the last run here (PNG)")
    args = ap.parse_args()
    app = os.path.abspath(args.app)
    fbdir = tempfile.mkdtemp(prefix="packplan-fb-")
    xvfb, display = start_xvfb(fbdir)
    try:
        fb = Framebuffer(os.path.join(fbdir, "Xvfb_screen0"))
        runs = []
        for i in range(args.runs):
            shot = args.screenshot if i == args.runs - 1 else None
            runs.append(one_run(app, fb, display, shot))
            print(f"startup run {i + 1}: {json.dumps(runs[-1])}", file=sys.stderr)
        print(
            json.dumps(
                {
                    "painted_ms": statistics.median(r["painted_ms"] for r in runs),
                    "window_ms": statistics.median(r["window_ms"] for r in runs),
                    "content_ms": statistics.median(r["content_ms"] for r in runs),
                    "runs": runs,
                }
            )
        )
    finally:
        os.killpg(xvfb.pid, signal.SIGTERM)
        xvfb.wait(5)
        shutil.rmtree(fbdir, ignore_errors=True)


if __name__ == "__main__":
    main()
