#!/usr/bin/python3
"""Idempotent registration of everything hack/openstack-up needs in Keystone, Neutron, Nova, Glance.

    bootstrap.py identity [--compute]   projects, users, roles, catalog (run as soon as Keystone answers)
    bootstrap.py network                Neutron quotas of project shiftstack, external network "public"
    bootstrap.py compute                Nova quotas, flavors, the "fake-img" image, the volume type "standard"

Uses the "local-admin" cloud of $OS_CLIENT_CONFIG_FILE and the passwords / URLs from the environment
(exported by hack/openstack-up). Safe to run any number of times.
"""
import os
import sys
import time

import openstack

E = os.environ
REGION = E["REGION"]
COMPUTE_SERVICES = {
    # type: (name, url)
    "compute": ("nova", "http://127.0.0.1:%s/v2.1" % E["NOVA_PORT"]),
    "placement": ("placement", "http://127.0.0.1:%s" % E["PLACEMENT_PORT"]),
    "image": ("glance", "http://127.0.0.1:%s" % E["GLANCE_PORT"]),
    # Keystone puts the token's project id into %(project_id)s
    "volumev3": ("cinderv3", "http://127.0.0.1:%s/v3/%%(project_id)s" % E["CINDER_PORT"]),
}
NETWORK_SERVICE = {"network": ("neutron", E["NEUTRON_URL"])}

NEUTRON_QUOTAS = dict(security_groups=100, security_group_rules=2000, ports=1000, floating_ips=100,
                      networks=50, subnets=100, routers=20)
NEUTRON_TRUNK_QUOTA = 100
NOVA_QUOTAS = dict(instances=50, cores=500, ram=1000000)
# name: (vcpus, ram MiB, disk GiB). m1.large / m1.xlarge have the classic OpenStack sizes; m1.xlarge is
# the flavor OpenShift's documentation names for control-plane machines.
FLAVORS = {"m1.fake": (1, 64, 1), "m1.large": (4, 8192, 80), "m1.xlarge": (8, 16384, 160)}
# Cinder has no volume backend here: the type only has to exist (ShiftStack checks rootVolume.types against it)
VOLUME_TYPES = ["standard"]


def log(msg):
    print("          " + msg, flush=True)


def conn():
    return openstack.connect(cloud="local-admin")


def ensure_project(c, name, description):
    p = c.identity.find_project(name, domain_id="default")
    if p is None:
        p = c.identity.create_project(name=name, domain_id="default", description=description)
        log("created project %s" % name)
    return p


def ensure_user(c, name, password, project):
    u = c.identity.find_user(name, domain_id="default")
    if u is None:
        u = c.identity.create_user(name=name, domain_id="default", password=password,
                                   default_project_id=project.id)
        log("created user %s" % name)
    else:
        # keep the password in sync with .local/openstack/secrets
        c.identity.update_user(u, password=password)
    return u


def ensure_role(c, user, project, role_name):
    role = c.identity.find_role(role_name)
    if not c.identity.validate_user_has_project_role(project, user, role):
        c.identity.assign_project_role_to_user(project, user, role)


def ensure_service(c, stype, name, url):
    svc = next((s for s in c.identity.services() if s.type == stype), None)
    if svc is None:
        svc = c.identity.create_service(type=stype, name=name, is_enabled=True)
        log("created service %s (%s)" % (name, stype))
    have = {e.interface: e for e in c.identity.endpoints(service_id=svc.id)}
    for itf in ("public", "internal", "admin"):
        e = have.get(itf)
        if e is None:
            c.identity.create_endpoint(service_id=svc.id, interface=itf, url=url, region_id=REGION)
        elif e.url != url:
            c.identity.update_endpoint(e, url=url)


def drop_service(c, stype):
    for svc in [s for s in c.identity.services() if s.type == stype]:
        for e in c.identity.endpoints(service_id=svc.id):
            c.identity.delete_endpoint(e)
        c.identity.delete_service(svc)
        log("removed service %s from the catalog (compute layer not running)" % stype)


def identity(compute):
    c = conn()
    service = ensure_project(c, "service", "OpenStack service users")
    shiftstack = ensure_project(c, "shiftstack", "ShiftStack tests and demo (non-admin)")
    svc_users = ["neutron"] + (["nova", "placement", "glance", "cinder"] if compute else [])
    for name in svc_users:
        u = ensure_user(c, name, E["SERVICE_PASSWORD"], service)
        ensure_role(c, u, service, "admin")
    u = ensure_user(c, "shiftstack", E["SHIFTSTACK_PASSWORD"], shiftstack)
    ensure_role(c, u, shiftstack, "member")
    for stype, (name, url) in NETWORK_SERVICE.items():
        ensure_service(c, stype, name, url)
    for stype, (name, url) in COMPUTE_SERVICES.items():
        if compute:
            ensure_service(c, stype, name, url)
        else:
            drop_service(c, stype)


def network():
    c = conn()
    project = c.identity.find_project("shiftstack", domain_id="default")
    c.network.update_quota(project.id, **NEUTRON_QUOTAS)
    # the SDK's Quota resource has no "trunk" attribute: set it with a raw request
    r = c.network.put("/quotas/%s" % project.id, json={"quota": {"trunk": NEUTRON_TRUNK_QUOTA}})
    if r.status_code >= 400:
        raise SystemExit("could not set the trunk quota: HTTP %s %s" % (r.status_code, r.text[:300]))
    net = c.network.find_network("public")
    if net is None:
        net = c.network.create_network(name="public", is_router_external=True, is_shared=False,
                                       provider_network_type="flat", provider_physical_network="public",
                                       description="external network for floating IPs (no L3 agent)")
        log("created external network public")
    if not any(s.ip_version == 4 for s in c.network.subnets(network_id=net.id)):
        c.network.create_subnet(network_id=net.id, name="public-v4", ip_version=4, cidr="172.24.4.0/24",
                                gateway_ip="172.24.4.1", is_dhcp_enabled=False,
                                allocation_pools=[{"start": "172.24.4.10", "end": "172.24.4.250"}])
        log("created subnet public-v4 172.24.4.0/24")


def compute():
    c = conn()
    project = c.identity.find_project("shiftstack", domain_id="default")
    c.set_compute_quotas(project.id, **NOVA_QUOTAS)
    have = {f.name for f in c.compute.flavors(is_public=None)}
    for name, (vcpus, ram, disk) in FLAVORS.items():
        if name not in have:
            c.compute.create_flavor(name=name, vcpus=vcpus, ram=ram, disk=disk, is_public=True)
            log("created flavor %s" % name)
    img = c.image.find_image("fake-img")
    if img is not None and img.status != "active":
        c.image.delete_image(img)
        img = None
    if img is None:
        path = os.path.join(E["OS_DATA"], "fake-img.raw")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(b"\0" * 65536)
        c.create_image("fake-img", filename=path, disk_format="raw", container_format="bare",
                       visibility="public", wait=True, timeout=120)
        log("uploaded image fake-img")
    have = {t.name for t in c.block_storage.types()}
    for name in VOLUME_TYPES:
        if name not in have:
            c.block_storage.create_type(name=name, is_public=True)
            log("created volume type %s" % name)


def ready():
    """Waits until the OVS, L3 and DHCP agents on our compute host are alive, nova-compute is up and its hypervisor
    is known to Nova (host mapped to cell1): only then can a server be scheduled and its port bound."""
    c = conn()
    host = E["OS_COMPUTE_HOST"]
    deadline = time.time() + 180
    state = {}
    while time.time() < deadline:
        try:
            agents = list(c.network.agents())
            for kind in ("Open vSwitch agent", "L3 agent", "DHCP agent"):
                state[kind] = any(a.agent_type == kind and a.host == host and a.is_alive for a in agents)
            state["compute"] = any(s.binary == "nova-compute" and s.host == host and s.state == "up"
                                   for s in c.compute.services())
            state["hypervisor"] = any(h.name == host for h in c.compute.hypervisors())
            if all(state.values()):
                log("ovs, l3 and dhcp agents alive, nova-compute up, hypervisor %s" % host)
                return
        except openstack.exceptions.SDKException as e:
            state["error"] = str(e)
        time.sleep(2)
    raise SystemExit("compute layer not ready after 180 s: %s" % state)


def main():
    phase = sys.argv[1]
    t = time.time()
    last = None
    # Keystone/Neutron may still be finishing their start-up: retry transient failures for a while
    while time.time() - t < 60:
        try:
            if phase == "identity":
                identity("--compute" in sys.argv)
            elif phase == "network":
                network()
            elif phase == "compute":
                compute()
            elif phase == "ready":
                ready()
            else:
                sys.exit("unknown phase %s" % phase)
            return
        except (openstack.exceptions.HttpException, openstack.exceptions.SDKException) as e:
            status = getattr(e, "status_code", None)
            if status is not None and status < 500 and status not in (401, 404):
                raise
            last = e
            time.sleep(1)
    raise SystemExit("bootstrap %s failed: %s" % (phase, last))


if __name__ == "__main__":
    main()
