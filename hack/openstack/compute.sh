# shellcheck shell=bash
# The compute layer of hack/openstack-up (--compute). Sourced by hack/openstack-up after lib.sh;
# uses its helpers (ensure_service, stamp_*, cfg_*, step, die).
#
#   compute_db_sync_start  background schema syncs of placement, glance, nova (right after MariaDB)
#   compute_messaging_*    epmd + RabbitMQ (before neutron-server, which then uses rabbit://)
#   cinder_db_sync_start   background: database "cinder" and its schema (own stamp: added to a running cloud)
#   compute_services       OVS, neutron-openvswitch-agent, -l3-agent, -dhcp-agent, Placement, Glance, Nova,
#                          Cinder (API, scheduler, volume: zones cinder-az0 and cinder-az1, no storage);
#                          flavors, image, volume type, quotas

COMPUTE_SYNC_PID=""
compute_db_sync_start() {
  local want
  want="$(pkgver python3-nova) $(pkgver python3-placement) $(pkgver python3-glance)"
  stamp_ok compute-db "$want" && return 0
  mkdir -p "$OS_DATA/glance/images" "$OS_DATA/glance/staging" "$OS_DATA/glance/tasks" "$OS_DATA/nova/instances"
  (
    set +e
    NM=(nova-manage --config-file "$OS_ETC/nova.conf" --config-file "$OS_ETC/nova-db.conf")
    placement-manage --config-file "$OS_ETC/placement.conf" db sync > "$OS_LOG/placement-dbsync.log" 2>&1 &
    p1=$!
    glance-manage --config-file "$OS_ETC/glance-api.conf" db_sync > "$OS_LOG/glance-dbsync.log" 2>&1 &
    p2=$!
    # (list_cells is captured first: `| grep -q` under pipefail would SIGPIPE it and look like "absent")
    { "${NM[@]}" api_db sync &&
      cells=$("${NM[@]}" cell_v2 list_cells 2>/dev/null) &&
      { [[ "$cells" == *" cell0 "* ]] ||
        "${NM[@]}" cell_v2 map_cell0 --database_connection \
          "mysql+pymysql://openstack:$DB_PASSWORD@127.0.0.1:$MYSQL_PORT/nova_cell0"; } &&
      { [[ "$cells" == *" cell1 "* ]] || "${NM[@]}" cell_v2 create_cell --name cell1; } &&
      "${NM[@]}" db sync; } > "$OS_LOG/nova-dbsync.log" 2>&1
    rc=$?
    wait $p1 || { echo "placement db sync failed" >&2; exit 1; }
    wait $p2 || { echo "glance db sync failed" >&2; exit 1; }
    [ $rc = 0 ] || { echo "nova db sync failed" >&2; exit 1; }
    echo "$want" > "$OS_DATA/stamps/compute-db"
  ) &
  COMPUTE_SYNC_PID=$!; BG_PIDS+=("$!")
}

# Cinder has its own stamp (not part of compute-db): a cloud started before Cinder was added gets the
# database and schema on its next hack/openstack-up, without touching the other schemas.
CINDER_SYNC_PID=""
cinder_db_sync_start() {
  local want
  want="$(pkgver python3-cinder)"
  stamp_ok cinder-db "$want" && return 0
  mkdir -p "$OS_DATA/cinder/coordination"
  (
    set +e
    { mysql_cli <<<'CREATE DATABASE IF NOT EXISTS cinder;' &&
      cinder-manage --config-file "$OS_ETC/cinder.conf" db sync; } > "$OS_LOG/cinder-dbsync.log" 2>&1 ||
      { echo "cinder db sync failed" >&2; exit 1; }
    echo "$want" > "$OS_DATA/stamps/cinder-db"
  ) &
  CINDER_SYNC_PID=$!; BG_PIDS+=("$!")
}

# compute_messaging_start: epmd + RabbitMQ, started early (the Erlang VM boots slowly on a busy
# machine); compute_messaging_wait: before neutron-server starts with transport rabbit://.
compute_messaging_start() {
  mkdir -p "$OS_DATA/rabbitmq" "$OS_LOG/rabbitmq"
  [ -f "$OS_ETC/rabbitmq-enabled-plugins" ] || echo '[].' > "$OS_ETC/rabbitmq-enabled-plugins"
  # our own epmd on a non-default port, loopback only (RabbitMQ would otherwise spawn a global one
  # on 0.0.0.0:4369 that outlives it)
  epmd_ok() { port_open "$EPMD_PORT"; }
  start_epmd() { start epmd "$OS_LOG/epmd.log" env ERL_EPMD_ADDRESS=127.0.0.1 epmd -port "$EPMD_PORT"; }
  ensure_service epmd epmd_ok 20 -- start_epmd
  rabbit_ok() { port_open "$RABBIT_PORT"; }
  start_rabbit() {
    port_open "$RABBIT_PORT" && die "port $RABBIT_PORT is already used by a process we did not start"
    # HOME: the Erlang cookie goes to data/rabbitmq/.erlang.cookie, not /root
    start rabbitmq "$OS_LOG/rabbitmq.out" env HOME="$OS_DATA/rabbitmq" \
      RABBITMQ_CONF_ENV_FILE="$OS_ETC/rabbitmq-env.conf" ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT="$EPMD_PORT" \
      /usr/lib/rabbitmq/bin/rabbitmq-server
  }
  ensure_service_async rabbitmq rabbit_ok "$OS_ETC/rabbitmq.conf" "$OS_ETC/rabbitmq-env.conf" -- start_rabbit
}
compute_messaging_wait() {
  mark
  wait_started rabbit_ok rabbitmq 180
  [[ " ${ASYNC_STARTED[*]} " == *" rabbitmq "* ]] && step "rabbitmq started on 127.0.0.1:$RABBIT_PORT"
  return 0
}

compute_services() {
  # ---- Open vSwitch, userspace datapath (this kernel has no openvswitch module; ovs-ctl would modprobe it)
  mkdir -p "$OVS_RUNDIR" "$OVS_DBDIR"
  [ -f "$OVS_DBDIR/conf.db" ] ||
    ovsdb-tool create "$OVS_DBDIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema > "$OS_LOG/ovsdb-create.log" 2>&1 ||
    die "ovsdb-tool create failed" "$OS_LOG/ovsdb-create.log"
  vsctl() { ovs-vsctl --db="unix:$OVSDB_SOCK" --timeout=10 "$@"; }
  ovsdb_ok() { vsctl --no-wait show >/dev/null 2>&1; }
  # unix socket only (no TCP remote, and no db:...manager_options remote that could open one)
  start_ovsdb() {
    start ovsdb-server "$OS_LOG/ovsdb-server.out" ovsdb-server "$OVS_DBDIR/conf.db" \
      --remote="punix:$OVSDB_SOCK" --pidfile="$OVS_RUNDIR/ovsdb-server.pid" \
      --unixctl="$OVS_RUNDIR/ovsdb-server.ctl" --log-file="$OS_LOG/ovsdb-server.log"
  }
  ensure_service ovsdb-server ovsdb_ok 20 -- start_ovsdb
  vsctl --no-wait init
  vsctl --no-wait set Open_vSwitch . external-ids:hostname="$OS_COMPUTE_HOST"
  vswitchd_ok() { ovs-appctl -t "$OVS_RUNDIR/ovs-vswitchd.ctl" version >/dev/null 2>&1; }
  start_vswitchd() {
    start ovs-vswitchd "$OS_LOG/ovs-vswitchd.out" ovs-vswitchd "unix:$OVSDB_SOCK" \
      --pidfile="$OVS_RUNDIR/ovs-vswitchd.pid" --unixctl="$OVS_RUNDIR/ovs-vswitchd.ctl" \
      --log-file="$OS_LOG/ovs-vswitchd.log"
  }
  ensure_service ovs-vswitchd vswitchd_ok 20 -- start_vswitchd
  [[ " ${STARTED[*]} " == *" ovs-vswitchd "* ]] && step "open vswitch (netdev datapath) started"

  # ---- neutron-openvswitch-agent (no sudo: it inherits OVS_RUNDIR and stays in our session)
  agent_ok() { grep -q "Agent initialized successfully\|Agent out of sync with plugin\|Agent rpc_loop - iteration" \
                 "$OS_LOG/neutron-ovs-agent.log" 2>/dev/null && alive neutron-ovs-agent; }
  start_agent() {
    # the log decides readiness: start with a fresh one
    [ -f "$OS_LOG/neutron-ovs-agent.log" ] && mv -f "$OS_LOG/neutron-ovs-agent.log" "$OS_LOG/neutron-ovs-agent.log.1"
    start neutron-ovs-agent "$OS_LOG/neutron-ovs-agent.out" env OVS_RUNDIR="$OVS_RUNDIR" \
      neutron-openvswitch-agent --config-file "$OS_ETC/neutron.conf" --config-file "$OS_ETC/openvswitch_agent.ini"
  }
  # (not waited for here: it comes up while the schemas finish and the API services start)
  ensure_service_async neutron-ovs-agent agent_ok "$OS_ETC/neutron.conf" "$OS_ETC/openvswitch_agent.ini" -- start_agent

  # ---- neutron-l3-agent (routers: qrouter-<id> namespaces, radvd) and neutron-dhcp-agent (qdhcp-<id>, dnsmasq)
  # Same host as the OVS agent, so that ML2 binds their ports; no sudo, like the OVS agent. radvd and dnsmasq
  # daemonize into sessions of their own: hack/openstack-down stops them by Neutron's pid files.
  l3_agent_ok() { alive neutron-l3-agent && grep -q "L3 agent started" "$OS_LOG/neutron-l3-agent.log" 2>/dev/null; }
  dhcp_agent_ok() { alive neutron-dhcp-agent && grep -q "DHCP agent started" "$OS_LOG/neutron-dhcp-agent.log" 2>/dev/null; }
  start_neutron_agent() {
    local n=$1; shift
    [ -f "$OS_LOG/$n.log" ] && mv -f "$OS_LOG/$n.log" "$OS_LOG/$n.log.1"
    start "$n" "$OS_LOG/$n.out" env OVS_RUNDIR="$OVS_RUNDIR" "$@"
  }
  start_l3_agent() { start_neutron_agent neutron-l3-agent neutron-l3-agent --config-file "$OS_ETC/neutron.conf" --config-file "$OS_ETC/l3_agent.ini"; }
  start_dhcp_agent() { start_neutron_agent neutron-dhcp-agent neutron-dhcp-agent --config-file "$OS_ETC/neutron.conf" --config-file "$OS_ETC/dhcp_agent.ini"; }
  ensure_service_async neutron-l3-agent l3_agent_ok "$OS_ETC/neutron.conf" "$OS_ETC/l3_agent.ini" -- start_l3_agent
  ensure_service_async neutron-dhcp-agent dhcp_agent_ok "$OS_ETC/neutron.conf" "$OS_ETC/dhcp_agent.ini" "$OS_ETC/dnsmasq.conf" -- start_dhcp_agent

  # ---- schemas of placement, glance, nova (started in the background right after MariaDB)
  if [ -n "$COMPUTE_SYNC_PID" ]; then
    wait "$COMPUTE_SYNC_PID" ||
      die "a compute database sync failed" "$OS_LOG/placement-dbsync.log" "$OS_LOG/glance-dbsync.log" "$OS_LOG/nova-dbsync.log"
    step "placement, glance, nova schemas created (cells cell0, cell1)"
  fi
  if [ -n "$CINDER_SYNC_PID" ]; then
    wait "$CINDER_SYNC_PID" || die "the cinder database sync failed" "$OS_LOG/cinder-dbsync.log"
    step "cinder schema created"
  fi

  # ---- Placement (uwsgi), Glance, Nova
  placement_ok() { http_ok "$PLACEMENT_PORT" /; }
  start_placement() {
    port_open "$PLACEMENT_PORT" && die "port $PLACEMENT_PORT is already used by a process we did not start"
    start placement-api "$OS_LOG/placement-api.out" env OS_PLACEMENT_CONFIG_DIR="$OS_ETC" \
      uwsgi --plugins python3 --http-socket "127.0.0.1:$PLACEMENT_PORT" --wsgi-file /usr/bin/placement-api \
        --master --processes 1 --threads 4 --enable-threads --lazy-apps --need-app --die-on-term \
        --buffer-size 65535 --add-header "Connection: close" --procname-prefix-spaced shiftstack-placement
  }
  # glance_ok, start_glance, nova_ok, start_nova_api: lib.sh (hack/openstack/restart uses them too)
  NOVA_CFG=("$OS_ETC/nova.conf" "$OS_ETC/nova-db.conf")
  # conductor / scheduler / compute have no port: "ready" = alive and their log says they started
  svc_log_ok() { alive "$1" && grep -q "Starting ${1#nova-} node" "$OS_LOG/$1.log" 2>/dev/null; }
  conductor_ok() { svc_log_ok nova-conductor; }
  scheduler_ok() { svc_log_ok nova-scheduler; }
  compute_ok() { svc_log_ok nova-compute; }
  start_nova_svc() {
    local n=$1; shift
    [ -f "$OS_LOG/$n.log" ] && mv -f "$OS_LOG/$n.log" "$OS_LOG/$n.log.1"
    start "$n" "$OS_LOG/$n.out" "$n" "$@"
  }
  start_conductor() { start_nova_svc nova-conductor --config-file "$OS_ETC/nova.conf" --config-file "$OS_ETC/nova-db.conf"; }
  start_scheduler() { start_nova_svc nova-scheduler --config-file "$OS_ETC/nova.conf" --config-file "$OS_ETC/nova-db.conf"; }
  start_compute() { start_nova_svc nova-compute --config-file "$OS_ETC/nova.conf"; }
  # Cinder: the API (eventlet, one worker, 127.0.0.1), the scheduler and the volume service
  cinder_ok() { http_ok "$CINDER_PORT" /; }
  start_cinder_api() {
    port_open "$CINDER_PORT" && die "port $CINDER_PORT is already used by a process we did not start"
    mkdir -p "$OS_DATA/cinder/coordination"
    start cinder-api "$OS_LOG/cinder-api.out" cinder-api --config-file "$OS_ETC/cinder.conf"
  }
  cinder_scheduler_ok() { svc_log_ok cinder-scheduler; }
  start_cinder_scheduler() { start_nova_svc cinder-scheduler --config-file "$OS_ETC/cinder.conf"; }
  # cinder-volume: cinder.conf plus cinder-volume.conf (its backends, one volume availability zone each, fake
  # driver: no storage). One child process per backend; ready = every backend's driver has initialised (its
  # service row, which is what Cinder's zone list is made of, exists before that).
  CINDER_VOLUME_CFG=("$OS_ETC/cinder.conf" "$OS_ETC/cinder-volume.conf")
  cinder_volume_ok() {
    local want have
    want=$(sed -n 's/^enabled_backends *= *//p' "$OS_ETC/cinder-volume.conf" | tr ',' ' ' | wc -w)
    have=$(grep -c "Driver post RPC initialization completed successfully" "$OS_LOG/cinder-volume.log" 2>/dev/null) || true
    alive cinder-volume && [ "$want" -gt 0 ] && [ "${have:-0}" -ge "$want" ]
  }
  start_cinder_volume() {
    start_nova_svc cinder-volume --config-file "$OS_ETC/cinder.conf" --config-file "$OS_ETC/cinder-volume.conf"
  }

  # start them all, then wait for each (in parallel they come up much faster than one after the other)
  ensure_service_async placement-api placement_ok "$OS_ETC/placement.conf" -- start_placement
  ensure_service_async glance-api glance_ok "$OS_ETC/glance-api.conf" -- start_glance
  ensure_service_async nova-api nova_ok "${NOVA_CFG[@]}" -- start_nova_api
  ensure_service_async nova-conductor conductor_ok "${NOVA_CFG[@]}" -- start_conductor
  ensure_service_async nova-scheduler scheduler_ok "${NOVA_CFG[@]}" -- start_scheduler
  ensure_service_async nova-compute compute_ok "$OS_ETC/nova.conf" -- start_compute
  ensure_service_async cinder-api cinder_ok "$OS_ETC/cinder.conf" -- start_cinder_api
  ensure_service_async cinder-scheduler cinder_scheduler_ok "$OS_ETC/cinder.conf" -- start_cinder_scheduler
  ensure_service_async cinder-volume cinder_volume_ok "${CINDER_VOLUME_CFG[@]}" -- start_cinder_volume
  wait_started agent_ok neutron-ovs-agent 150
  wait_started l3_agent_ok neutron-l3-agent 150
  wait_started dhcp_agent_ok neutron-dhcp-agent 150
  wait_started placement_ok placement-api 90
  wait_started glance_ok glance-api 90
  wait_started nova_ok nova-api 120
  wait_started conductor_ok nova-conductor 120
  wait_started scheduler_ok nova-scheduler 120
  wait_started compute_ok nova-compute 120
  wait_started cinder_ok cinder-api 120
  wait_started cinder_scheduler_ok cinder-scheduler 120
  wait_started cinder_volume_ok cinder-volume 120
  local started=" ${ASYNC_STARTED[*]} "; started=${started/ rabbitmq / }
  [ -n "${started// /}" ] && step "started${started% } (agent host = nova host = $OS_COMPUTE_HOST)"

  # ---- registrations (flavors, image, quotas) and readiness (agent alive, compute host mapped)
  local want
  want="compute:$BOOT_VER"
  if ! stamp_ok bootstrap-compute "$want"; then
    "$PY" "$OS_HACK/bootstrap.py" compute > "$OS_LOG/bootstrap-compute.log" 2>&1 ||
      die "flavors / image / volume type / nova quotas failed" "$OS_LOG/bootstrap-compute.log" "$OS_LOG/nova-api.log" \
        "$OS_LOG/glance-api.log" "$OS_LOG/cinder-api.log"
    stamp_set bootstrap-compute "$want"
    step "nova quotas of shiftstack raised, flavors m1.fake m1.large m1.xlarge, image fake-img, volume type standard"
  fi
  local agents; agents="$(pid_of neutron-ovs-agent) $(pid_of neutron-l3-agent) $(pid_of neutron-dhcp-agent)"
  if ! stamp_ok compute-ready "$(pid_of nova-compute) $agents"; then
    nova-manage --config-file "$OS_ETC/nova.conf" --config-file "$OS_ETC/nova-db.conf" cell_v2 discover_hosts \
      > "$OS_LOG/nova-discover-hosts.log" 2>&1 || true
    "$PY" "$OS_HACK/bootstrap.py" ready > "$OS_LOG/bootstrap-ready.log" 2>&1 ||
      die "the compute layer did not become ready" "$OS_LOG/bootstrap-ready.log" "$OS_LOG/nova-compute.log" \
        "$OS_LOG/neutron-ovs-agent.log" "$OS_LOG/neutron-l3-agent.log" "$OS_LOG/neutron-dhcp-agent.log"
    stamp_set compute-ready "$(pid_of nova-compute) $agents"
    step "ovs, l3 and dhcp agents alive, nova-compute up, hypervisor $OS_COMPUTE_HOST mapped to cell1"
  fi
}

# ensure_service, split in two: ensure_service_async starts what is needed without waiting,
# wait_started waits for what it started.
ASYNC_STARTED=()
ensure_service_async() {
  local name=$1 check=$2; shift 2
  local cfgs=()
  while [ "$1" != "--" ]; do cfgs+=("$1"); shift; done; shift
  if alive "$name"; then
    if [ ${#cfgs[@]} -gt 0 ] && cfg_changed "$name" "${cfgs[@]}"; then
      info "$name: configuration changed, restarting"; stop "$name" 60
    elif $check || wait_for "$name" 20 $check; then
      return 0
    else
      info "$name: not answering, restarting"; stop "$name" 30
    fi
  fi
  rm -f "$OS_RUN/$name.pid"
  "$@"
  [ ${#cfgs[@]} -gt 0 ] && cfg_record "$name" "${cfgs[@]}"
  ASYNC_STARTED+=("$name")
}
wait_started() {
  local check=$1 name=$2 timeout=$3 rc=0
  [[ " ${ASYNC_STARTED[*]} " == *" $name "* ]] || return 0
  wait_for "$name" "$timeout" $check || rc=$?
  case $rc in
    0) ;;
    2) die "$name exited during start-up" "$OS_LOG/$name".* ;;
    *) die "$name did not become ready in ${timeout}s" "$OS_LOG/$name".* ;;
  esac
}
