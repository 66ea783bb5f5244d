#!/usr/bin/env bash
# Starts a real single-node Slurm cluster (Debian 12 packages, Slurm 22.05) on loopback.
# Needs root and no systemd. Idempotent: installs the packages if missing, wipes old job state,
# writes /etc/slurm/slurm.conf, starts munged, slurmctld, slurmd (and slurmrestd if WITH_REST=1).
# PIDs go to $RUN_DIR; stop everything with scripts/slurm-down.sh. Typical time: 2-10 s.
# Kiln's SLURM tests and .ci/run use it: `sudo scripts/slurm-up.sh` from the repository root.
set -euo pipefail
WITH_REST=${WITH_REST:-0}; REST_PORT=${REST_PORT:-6820}; RUN_DIR=${RUN_DIR:-/run/slurm-ci}
CPUS=${SLURM_CPUS:-8}
export DEBIAN_FRONTEND=noninteractive
t0=$(date +%s%N); ts(){ echo "slurm-up: [$(( ($(date +%s%N)-t0)/1000000 )) ms] $*"; }

PKGS="munge slurmctld slurmd slurm-client"
[ "$WITH_REST" = 1 ] && PKGS="$PKGS slurmrestd slurm-wlm-jwt-plugin curl"
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  apt-get install -y -q --no-install-recommends $PKGS >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $PKGS >/dev/null; }
fi
ts "packages present"

mkdir -p "$RUN_DIR"
install -d -o slurm -g slurm -m 0755 /var/lib/slurm /var/lib/slurm/slurmctld /var/log/slurm
install -d -o root -g root -m 0755 /var/lib/slurm/slurmd
# A fresh cluster each run: no old jobs, job ids restart at 1, empty completion log.
rm -rf /var/lib/slurm/slurmctld/* /var/lib/slurm/slurmd/*
: > /var/log/slurm/jobcomp.log; chown slurm:slurm /var/log/slurm/jobcomp.log

cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=slurm
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
MinJobAge=3600
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
if [ "$WITH_REST" = 1 ]; then
  [ -s /etc/slurm/jwt_hs256.key ] || dd if=/dev/urandom of=/etc/slurm/jwt_hs256.key bs=32 count=1 status=none
  chown slurm:slurm /etc/slurm/jwt_hs256.key; chmod 0600 /etc/slurm/jwt_hs256.key
  printf 'AuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key=/etc/slurm/jwt_hs256.key\n' >> /etc/slurm/slurm.conf
fi

alive(){ [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
[ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey -c
if ! alive /run/munge/munged.pid; then
  rm -rf /run/munge; install -d -o munge -g munge -m 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
fi
for i in $(seq 50); do munge -n </dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
cp /run/munge/munged.pid "$RUN_DIR/munged.pid"; ts "munged up"

if alive /run/slurmctld.pid; then echo "slurm-up: slurmctld already running; run slurm-down.sh first" >&2; exit 1; fi
/usr/sbin/slurmctld
/usr/sbin/slurmd -N localhost
for i in $(seq 300); do [ "$(sinfo -h -n localhost -o %T 2>/dev/null)" = idle ] && break; sleep 0.1; done
[ "$(sinfo -h -n localhost -o %T)" = idle ] || { tail -20 /var/log/slurm/*.log; exit 1; }
cp /run/slurmctld.pid "$RUN_DIR/slurmctld.pid"; cp /run/slurmd.pid "$RUN_DIR/slurmd.pid"; ts "node idle"

if [ "$WITH_REST" = 1 ]; then
  SLURM_JWT=daemon setsid setpriv --reuid=nobody --regid=nogroup --clear-groups \
    /usr/sbin/slurmrestd -a rest_auth/jwt -s openapi/v0.0.38 127.0.0.1:$REST_PORT \
    >/var/log/slurm/slurmrestd.log 2>&1 </dev/null &
  echo $! > "$RUN_DIR/slurmrestd.pid"
  scontrol token username=root lifespan=86400 | sed 's/^SLURM_JWT=//' > "$RUN_DIR/jwt"
  code=000
  for i in $(seq 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-SLURM-USER-NAME: root" \
      -H "X-SLURM-USER-TOKEN: $(cat "$RUN_DIR/jwt")" http://127.0.0.1:$REST_PORT/slurm/v0.0.38/ping || true)
    [ "$code" = 200 ] && break; sleep 0.1
  done
  [ "$code" = 200 ] || { cat /var/log/slurm/slurmrestd.log; exit 1; }; ts "slurmrestd up on 127.0.0.1:$REST_PORT"
fi
