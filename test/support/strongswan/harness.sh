#!/bin/bash
# One strongSwan harness run, inside the private network and mount namespace that
# runner.ts creates with `timeout ... unshare --net --mount --propagation private`.
# Owns the order of the run: loopback up with the peer's address (and any extra ones),
# $HARNESS_DIR/run bind-mounted over /run (charon's pid file and vici socket stay private),
# charon started under `timeout`, the vici socket awaited (bounded), swanctl --load-all,
# then the caller's Node script and/or `swanctl --initiate`, `swanctl --list-sas`, and
# charon stopped by the PID in its own pid file. Every program runs under `timeout`; only
# processes this script started are signalled. Each step leaves NAME.out, NAME.err and a
# line "NAME rc start_ns end_ns" in steps.tsv; a step the run cannot go on without writes
# its name to `failed` and ends the run (the EXIT trap still stops charon).
# Refuses nothing itself: runner.ts checks the inputs (all passed as HARNESS_* variables;
# the script's own arguments are this script's arguments).
set -u
D="$HARNESS_DIR"
VICI=unix:///run/charon.vici
CHARON_WRAPPER=""
SCRIPT_WRAPPER=""
INITIATE_WRAPPER=""
: >"$D/steps.tsv"

now() { date +%s%N; }
begin() { echo "$1" >"$D/current"; }
mark() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(now)" >>"$D/steps.tsv"; }
fail() { echo "$1" >"$D/failed"; exit 3; }
# run_step NAME CMD...: runs CMD with its output in NAME.out/NAME.err, records it, returns its
# code. CMD runs in the background and the shell waits for it, so that a TERM reaches the
# traps at once instead of after CMD.
STEP_PID=""
run_step() {
  local name="$1" t0 rc
  shift
  begin "$name"
  t0=$(now)
  "$@" >"$D/$name.out" 2>"$D/$name.err" &
  STEP_PID=$!
  wait "$STEP_PID"
  rc=$?
  STEP_PID=""
  mark "$name" "$rc" "$t0"
  return "$rc"
}
# Every program runs under `timeout --foreground`: it stays in this shell's process group,
# so the outer timeout's signal to that group reaches it too. swanctl_ and run_script are
# only ever run in the background (a subshell), and exec their `timeout`, so that the PID
# this shell holds (and signals in stop_all) is the `timeout` itself.
swanctl_() { STRONGSWAN_CONF="$D/strongswan.conf" exec timeout --foreground -k 1 "$HARNESS_SWANCTL_S" swanctl "$@" --uri "$VICI"; }

stop_all() {
  local t0 rc
  for p in $STEP_PID $SCRIPT_WRAPPER $INITIATE_WRAPPER; do kill -TERM "$p" 2>/dev/null; done
  if [ -n "$CHARON_WRAPPER" ]; then
    t0=$(now)
    if [ -s /run/charon.pid ]; then kill -TERM "$(cat /run/charon.pid)" 2>/dev/null; fi
    wait "$CHARON_WRAPPER"
    rc=$?
    mark stop-charon "$rc" "$t0"
    CHARON_WRAPPER=""
  fi
}
trap stop_all EXIT
# A TERM from the outer timeout ends the shell through its EXIT trap, which stops what it started.
trap 'exit 143' TERM INT

run_step lo ip link set lo up || fail lo
run_step peer-addr ip addr add "$HARNESS_PEER_ADDR/8" dev lo || fail peer-addr
for cidr in $HARNESS_EXTRA_ADDRS; do
  run_step "addr-${cidr//[^0-9a-fA-F]/_}" ip addr add "$cidr" dev lo || fail "addr-${cidr//[^0-9a-fA-F]/_}"
done
run_step mount-run mount --bind "$D/run" /run || fail mount-run

begin charon-start
t0=$(now)
STRONGSWAN_CONF="$D/strongswan.conf" timeout --foreground -k 2 "$HARNESS_CHARON_S" /usr/lib/ipsec/charon >"$D/charon-start.out" 2>&1 &
CHARON_WRAPPER=$!
# The vici socket and the pid file, 50 ms apart, for at most HARNESS_START_TRIES polls.
ready=no
for _ in $(seq "$HARNESS_START_TRIES"); do
  if [ -S /run/charon.vici ] && [ -s /run/charon.pid ]; then ready=yes; break; fi
  kill -0 "$CHARON_WRAPPER" 2>/dev/null || break
  sleep 0.05
done
if [ "$ready" = yes ]; then
  cp /run/charon.pid "$D/charon.pid"
  mark charon-start 0 "$t0"
else
  mark charon-start 1 "$t0"
  fail charon-start
fi

run_step load swanctl_ --load-all --noprompt --file "$D/swanctl.conf" || fail load

initiate_args=(--initiate --child "$HARNESS_INITIATE_CHILD" --timeout "$HARNESS_INITIATE_S")
if [ -n "$HARNESS_INITIATE_IKE" ]; then initiate_args+=(--ike "$HARNESS_INITIATE_IKE"); fi
run_script() {
  HARNESS_READY_FILE="$D/script.ready" exec timeout --foreground -k 1 "$HARNESS_SCRIPT_S" "$HARNESS_NODE" "$HARNESS_SCRIPT" "$@"
}

if [ -n "$HARNESS_SCRIPT" ] && [ -n "$HARNESS_INITIATE_CHILD" ]; then
  # The script first, so that its sockets are bound when charon's first packet leaves.
  begin script
  ts=$(now)
  run_script "$@" >"$D/script.out" 2>"$D/script.err" &
  SCRIPT_WRAPPER=$!
  begin script-ready
  t0=$(now)
  ready=no
  for _ in $(seq "$HARNESS_READY_TRIES"); do
    if [ -e "$D/script.ready" ]; then ready=yes; break; fi
    kill -0 "$SCRIPT_WRAPPER" 2>/dev/null || break
    sleep 0.02
  done
  if [ "$ready" = yes ]; then mark script-ready 0 "$t0"; else mark script-ready 1 "$t0"; fail script-ready; fi
  begin initiate
  ti=$(now)
  swanctl_ "${initiate_args[@]}" >"$D/initiate.out" 2>"$D/initiate.err" &
  INITIATE_WRAPPER=$!
  begin script
  wait "$SCRIPT_WRAPPER"
  rc=$?
  SCRIPT_WRAPPER=""
  mark script "$rc" "$ts"
  begin initiate
  wait "$INITIATE_WRAPPER"
  rc=$?
  INITIATE_WRAPPER=""
  mark initiate "$rc" "$ti"
elif [ -n "$HARNESS_SCRIPT" ]; then
  run_step script run_script "$@"
elif [ -n "$HARNESS_INITIATE_CHILD" ]; then
  run_step initiate swanctl_ "${initiate_args[@]}"
fi

run_step list-sas swanctl_ --list-sas || fail list-sas
begin stop-charon
stop_all
begin done
