#!/usr/bin/env bash
# Runs every test: `bash tests/run.sh` (extra arguments go to `cargo test`).
# First it does the set-up it can on Debian/Ubuntu: as root it installs the system packages
# the tests need; otherwise it names the missing ones and stops before anything fails. Then
# it makes the Python virtual environment of the real consumers (spaCy, seqeval, …).
set -euo pipefail
cd "$(dirname "$0")/.."

# Package → a file that shows it is installed.
declare -A need=(
  [mesa-vulkan-drivers]=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json # CPU Vulkan: snapshots, real window
  [xvfb]=/usr/bin/Xvfb                                  # a virtual X server for the real binary
  [xdotool]=/usr/bin/xdotool                            # drives it
  [x11-apps]=/usr/bin/xwd                               # screenshots of it (xwd)
  [xclip]=/usr/bin/xclip                                # reads its clipboard
  [x11-xkb-utils]=/usr/bin/setxkbmap                    # keyboard layouts under Xvfb
  [desktop-file-utils]=/usr/bin/desktop-file-validate   # checks the desktop entry
  [libxkbcommon-x11-0]=/usr/lib/x86_64-linux-gnu/libxkbcommon-x11.so.0
  [libxcursor1]=/usr/lib/x86_64-linux-gnu/libXcursor.so.1
  [libxrandr2]=/usr/lib/x86_64-linux-gnu/libXrandr.so.2
  [libxi6]=/usr/lib/x86_64-linux-gnu/libXi.so.6
  [libx11-xcb1]=/usr/lib/x86_64-linux-gnu/libX11-xcb.so.1
)
missing=()
for pkg in "${!need[@]}"; do
  [[ -e ${need[$pkg]} ]] || missing+=("$pkg")
done
if ! command -v python3 >/dev/null; then
  missing+=(python3 python3-venv)
elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  missing+=(python3-venv) # the reference checks run spaCy & co. in a virtual environment
fi
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}" python3 python3-pip \
      ca-certificates libx11-6
  else
    echo "tests/run.sh: these packages are missing: ${missing[*]}" >&2
    echo "install them first, e.g. sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

# Real consumers of the exports, from PyPI (the format tests make this themselves too).
bash tests/python/setup-venv.sh

# The real-window tests (Xvfb + xdotool) drive the release binary, as editors run it.
cargo build --release --bin spanmark
export SPANMARK_TEST_BIN="$PWD/target/release/spanmark"

# The tests that press real keys into the release binary under Xvfb (commands, layouts, crash)
# run one at a time after the rest: two of them side by side on a two-core machine lose key
# presses and frames, and fail for reasons that are not Spanmark's.
serial=(commands:: layouts:: crash::)
cargo test "$@" -- "${serial[@]/#/--skip=}"
cargo test "$@" -- --test-threads=1 "${serial[@]}"
