/* config.json parser: a full config lands field by field, and each malformed
 * config is refused with its exact message.
 *
 * JSON in this file is written with single quotes to stay readable; json()
 * turns them into double quotes before parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"
#include "tests/unit/spec_test.h"

/* ---- helpers ------------------------------------------------------------- */

static struct oci_spec *parse_ok(const char *text)
{
  char *doc = json(text);
  struct oci_spec *spec = NULL;
  hrun_error err = {0};
  int ret = spec_parse(doc, strlen(doc), &spec, &err);

  free(doc);
  if (ret != 0)
    fail_msg("unexpected error: %s", err.msg);
  assert_non_null(spec);
  return spec;
}

static const char *kv_get(const struct spec_kv *kv, size_t n, const char *key)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(kv[i].key, key) == 0)
      return kv[i].value;
  return NULL;
}


/* ---- a full config -------------------------------------------------------- */

static const char full_config[] =
    "{'ociVersion':'1.2.0','hostname':'box','domainname':'example.org',"
    " 'process':{'terminal':true,'consoleSize':{'height':25,'width':80},'cwd':'/home',"
    "  'user':{'uid':1000,'gid':1001,'umask':18,'additionalGids':[5,6],'username':'bob'},"
    "  'args':['sh','-c','true'],'env':['PATH=/bin','TERM=xterm'],"
    "  'capabilities':{'bounding':['CAP_AUDIT_WRITE','CAP_KILL','CAP_NET_BIND_SERVICE'],"
    "   'effective':['CAP_KILL'],'inheritable':[],'permitted':['CAP_KILL','CAP_CHOWN'],"
    "   'ambient':['CAP_NET_BIND_SERVICE']},"
    "  'rlimits':[{'type':'RLIMIT_NOFILE','hard':4096,'soft':1024},"
    "   {'type':'RLIMIT_CORE','hard':18446744073709551615,'soft':0}],"
    "  'noNewPrivileges':true,'oomScoreAdj':-500,'apparmorProfile':'prof',"
    "  'selinuxLabel':'system_u:system_r:container_t:s0'},"
    " 'root':{'path':'rootfs','readonly':true},"
    " 'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
    "  {'destination':'/dev','type':'tmpfs','source':'tmpfs',"
    "   'options':['nosuid','strictatime','mode=755','size=65536k']},"
    "  {'destination':'/data','type':'bind','source':'/srv','options':['rbind','ro','rprivate'],"
    "   'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
    "   'gidMappings':[{'containerID':0,'hostID':200000,'size':65536}]}],"
    " 'hooks':{'prestart':[{'path':'/bin/pre','args':['pre','x'],'env':['A=1'],'timeout':5}],"
    "  'createRuntime':[{'path':'/bin/cr1'},{'path':'/bin/cr2'}],"
    "  'poststop':[{'path':'/bin/stop','args':[]}]},"
    " 'annotations':{'org.example.key':'value','empty':''},"
    " 'linux':{'namespaces':[{'type':'pid'},{'type':'network','path':'/var/run/netns/x'},"
    "   {'type':'ipc'},{'type':'uts'},{'type':'mount'},{'type':'cgroup'},{'type':'time'},"
    "   {'type':'user'}],"
    "  'uidMappings':[{'containerID':0,'hostID':1000,'size':32000}],"
    "  'gidMappings':[{'containerID':0,'hostID':2000,'size':1},"
    "   {'containerID':1,'hostID':100000,'size':65536}],"
    "  'timeOffsets':{'monotonic':{'secs':86400,'nanosecs':500},'boottime':{'secs':-10}},"
    "  'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229,'fileMode':438,"
    "   'uid':0,'gid':0},{'path':'/dev/fifo','type':'p'}],"
    "  'cgroupsPath':'/myRuntime/myContainer',"
    "  'resources':{'devices':[{'allow':false,'access':'rwm'},"
    "    {'allow':true,'type':'c','major':10,'minor':229,'access':'wr'}],"
    "   'memory':{'limit':536870912,'reservation':268435456,'swap':-1,'kernelTCP':0,"
    "    'swappiness':10,'disableOOMKiller':false,'checkBeforeUpdate':true},"
    "   'cpu':{'shares':1024,'quota':-1,'burst':1000,'period':100000,'realtimeRuntime':950000,"
    "    'realtimePeriod':1000000,'cpus':'2-3','mems':'0-7','idle':1},"
    "   'pids':{'limit':32771},"
    "   'blockIO':{'weight':10,'leafWeight':20,"
    "    'weightDevice':[{'major':8,'minor':0,'weight':500,'leafWeight':300},"
    "     {'major':8,'minor':16,'leafWeight':50}],"
    "    'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':600}],"
    "    'throttleWriteIOPSDevice':[{'major':8,'minor':16,'rate':300}]},"
    "   'hugepageLimits':[{'pageSize':'2MB','limit':209715200}],"
    "   'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':500}]},"
    "   'unified':{'memory.high':'max','io.max':'259:0 rbps=2097152'}},"
    "  'sysctl':{'net.ipv4.ip_forward':'1','kernel.msgmax':'65536'},"
    "  'maskedPaths':['/proc/kcore','/sys/firmware'],'readonlyPaths':['/proc/sys'],"
    "  'rootfsPropagation':'rslave','mountLabel':'system_u:object_r:container_file_t:s0',"
    "  'personality':{'domain':'LINUX32'},"
    "  'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
    "   'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86'],'flags':['SECCOMP_FILTER_FLAG_LOG'],"
    "   'listenerPath':'/run/agent.sock','listenerMetadata':'meta',"
    "   'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
    "    {'names':['personality'],'action':'SCMP_ACT_ALLOW',"
    "     'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'},"
    "      {'index':5,'value':255,'valueTwo':4,'op':'SCMP_CMP_MASKED_EQ'}]},"
    "    {'names':['mkdir'],'action':'SCMP_ACT_ERRNO','errnoRet':38},"
    "    {'names':['no_such_syscall'],'action':'SCMP_ACT_NOTIFY'}]}}}";

/* An opt_* member that is set, to v. */
#define assert_opt(o, v)                                                            \
  do {                                                                              \
    assert_true((o).set);                                                           \
    assert_int_equal((o).value, (v));                                               \
  } while (0)

static void check_full_process(const struct spec_process *p)
{
  const uint64_t *caps = p->capabilities.sets;

  assert_true(p->terminal);
  assert_opt(p->console_height, 25);
  assert_opt(p->console_width, 80);
  assert_int_equal(p->user.uid, 1000);
  assert_int_equal(p->user.gid, 1001);
  assert_opt(p->user.umask, 18);
  assert_int_equal(p->user.n_additional_gids, 2);
  assert_int_equal(p->user.additional_gids[1], 6);
  assert_string_equal(p->user.username, "bob");
  assert_strv(&p->args, 3, "sh", "-c", "true");
  assert_strv(&p->env, 2, "PATH=/bin", "TERM=xterm");
  assert_string_equal(p->cwd, "/home");
  assert_true(p->has_capabilities);
  assert_int_equal(caps[CAPSET_BOUNDING],
                   CAP(CAP_AUDIT_WRITE) | CAP(CAP_KILL) | CAP(CAP_NET_BIND_SERVICE));
  assert_int_equal(caps[CAPSET_EFFECTIVE], CAP(CAP_KILL));
  assert_int_equal(caps[CAPSET_INHERITABLE], 0);
  assert_int_equal(caps[CAPSET_PERMITTED], CAP(CAP_KILL) | CAP(CAP_CHOWN));
  assert_int_equal(caps[CAPSET_AMBIENT], CAP(CAP_NET_BIND_SERVICE));
  assert_int_equal(p->n_rlimits, 2);
  assert_int_equal(p->rlimits[0].resource, RLIMIT_NOFILE);
  assert_string_equal(p->rlimits[0].name, "RLIMIT_NOFILE");
  assert_int_equal(p->rlimits[0].soft, 1024);
  assert_int_equal(p->rlimits[0].hard, 4096);
  assert_int_equal(p->rlimits[1].resource, RLIMIT_CORE);
  assert_true(p->rlimits[1].hard == UINT64_MAX);
  assert_true(p->no_new_privileges);
  assert_opt(p->oom_score_adj, -500);
  assert_string_equal(p->apparmor_profile, "prof");
  assert_string_equal(p->selinux_label, "system_u:system_r:container_t:s0");
}

static void check_full_mounts_hooks(const struct oci_spec *s)
{
  const struct spec_mount *m = s->mounts;
  const struct spec_hook *pre = s->hooks.list[HOOK_PRESTART];
  const struct spec_hook *cr = s->hooks.list[HOOK_CREATE_RUNTIME];

  assert_int_equal(s->n_mounts, 3);
  assert_string_equal(m[0].destination, "/proc");
  assert_string_equal(m[0].type, "proc");
  assert_string_equal(m[0].source, "proc");
  assert_strv(&m[0].options, 0);
  assert_null(m[0].data);
  assert_strv(&m[1].options, 4, "nosuid", "strictatime", "mode=755", "size=65536k");
  assert_int_equal(m[1].flags, MS_NOSUID | MS_STRICTATIME);
  assert_string_equal(m[1].data, "mode=755,size=65536k");
  assert_true(m[2].is_bind && m[2].is_recursive_bind && !m[1].is_bind);
  assert_int_equal(m[2].flags, MS_RDONLY);
  assert_int_equal(m[2].propagation, MS_PRIVATE | MS_REC);
  assert_int_equal(m[2].n_uid_mappings, 1);
  assert_int_equal(m[2].uid_mappings[0].host_id, 100000);
  assert_int_equal(m[2].gid_mappings[0].host_id, 200000);
  assert_int_equal(s->hooks.count[HOOK_PRESTART], 1);
  assert_string_equal(pre[0].path, "/bin/pre");
  assert_strv(&pre[0].args, 2, "pre", "x");
  assert_true(pre[0].has_env);
  assert_strv(&pre[0].env, 1, "A=1");
  assert_opt(pre[0].timeout, 5);
  assert_int_equal(s->hooks.count[HOOK_CREATE_RUNTIME], 2);
  assert_string_equal(cr[1].path, "/bin/cr2");
  assert_false(cr[1].has_env || cr[1].timeout.set);
  assert_strv(&cr[1].args, 0);
  assert_int_equal(s->hooks.count[HOOK_CREATE_CONTAINER] + s->hooks.count[HOOK_START_CONTAINER] +
                       s->hooks.count[HOOK_POSTSTART], 0);
  assert_string_equal(s->hooks.list[HOOK_POSTSTOP][0].path, "/bin/stop");
}

static void check_full_linux(const struct oci_spec *s)
{
  const struct spec_linux *lx = &s->linux_cfg;

  assert_int_equal(lx->n_namespaces, 8);
  assert_null(lx->namespaces[0].path);
  assert_int_equal(lx->namespaces[1].type, CLONE_NEWNET);
  assert_string_equal(lx->namespaces[1].path, "/var/run/netns/x");
  assert_ptr_equal(spec_namespace(s, CLONE_NEWUSER), &lx->namespaces[7]);
  assert_ptr_equal(spec_namespace(s, CLONE_NEWTIME), &lx->namespaces[6]);
  assert_int_equal(lx->n_uid_mappings, 1);
  assert_int_equal(lx->uid_mappings[0].host_id, 1000);
  assert_int_equal(lx->n_gid_mappings, 2);
  assert_int_equal(lx->gid_mappings[1].container_id, 1);
  assert_true(lx->time_monotonic.set && lx->time_boottime.set);
  assert_int_equal(lx->time_monotonic.secs, 86400);
  assert_int_equal(lx->time_monotonic.nanosecs, 500);
  assert_int_equal(lx->time_boottime.secs, -10);
  assert_int_equal(lx->n_devices, 2);
  assert_int_equal(lx->devices[0].type, 'c');
  assert_string_equal(lx->devices[0].path, "/dev/fuse");
  assert_int_equal(lx->devices[0].major, 10);
  assert_opt(lx->devices[0].file_mode, 438);
  assert_opt(lx->devices[0].gid, 0);
  assert_int_equal(lx->devices[1].type, 'p');
  assert_false(lx->devices[1].file_mode.set);
  assert_string_equal(lx->cgroups_path, "/myRuntime/myContainer");
  assert_int_equal(lx->n_sysctl, 2);
  assert_string_equal(lx->sysctl[0].key, "net.ipv4.ip_forward");
  assert_string_equal(kv_get(lx->sysctl, lx->n_sysctl, "kernel.msgmax"), "65536");
  assert_strv(&lx->masked_paths, 2, "/proc/kcore", "/sys/firmware");
  assert_strv(&lx->readonly_paths, 1, "/proc/sys");
  assert_int_equal(lx->rootfs_propagation, MS_SLAVE | MS_REC);
  assert_string_equal(lx->mount_label, "system_u:object_r:container_file_t:s0");
  assert_opt(lx->personality, PER_LINUX32);
}

static void check_full_resources(const struct spec_resources *r)
{
  assert_int_equal(r->n_devices, 2);
  assert_false(r->devices[0].allow);
  assert_int_equal(r->devices[0].type, 'a');
  assert_int_equal(r->devices[0].major, -1);
  assert_string_equal(r->devices[0].access, "rwm");
  assert_true(r->devices[1].allow);
  assert_int_equal(r->devices[1].type, 'c');
  assert_string_equal(r->devices[1].access, "rw");
  assert_true(r->has_memory && r->has_cpu && r->has_pids);
  assert_opt(r->memory.limit, 536870912);
  assert_opt(r->memory.swap, -1);
  assert_false(r->memory.kernel.set);
  assert_opt(r->memory.kernel_tcp, 0);
  assert_opt(r->memory.swappiness, 10);
  assert_opt(r->memory.disable_oom_killer, false);
  assert_false(r->memory.use_hierarchy.set);
  assert_opt(r->memory.check_before_update, true);
  assert_opt(r->cpu.shares, 1024);
  assert_opt(r->cpu.quota, -1);
  assert_opt(r->cpu.burst, 1000);
  assert_opt(r->cpu.realtime_runtime, 950000);
  assert_string_equal(r->cpu.cpus, "2-3");
  assert_opt(r->cpu.idle, 1);
  assert_opt(r->pids.limit, 32771);
}

static void check_full_resources_io(const struct spec_resources *r)
{
  const struct spec_blkio *b = &r->block_io;

  assert_true(r->has_block_io && r->has_network);
  assert_opt(b->weight, 10);
  assert_opt(b->leaf_weight, 20);
  assert_int_equal(b->n_weight_devices, 2);
  assert_opt(b->weight_devices[0].leaf_weight, 300);
  assert_false(b->weight_devices[1].weight.set);
  assert_int_equal(b->n_throttle[THROTTLE_READ_BPS], 1);
  assert_int_equal(b->throttle[THROTTLE_READ_BPS][0].rate, 600);
  assert_int_equal(b->n_throttle[THROTTLE_WRITE_BPS] + b->n_throttle[THROTTLE_READ_IOPS], 0);
  assert_int_equal(b->throttle[THROTTLE_WRITE_IOPS][0].rate, 300);
  assert_string_equal(r->hugepage_limits[0].page_size, "2MB");
  assert_int_equal(r->hugepage_limits[0].limit, 209715200);
  assert_opt(r->network.class_id, 1048577);
  assert_string_equal(r->network.priorities[0].name, "eth0");
  assert_int_equal(r->network.priorities[0].priority, 500);
  assert_int_equal(r->n_unified, 2);
  assert_string_equal(kv_get(r->unified, r->n_unified, "io.max"), "259:0 rbps=2097152");
}

static void check_full_seccomp(const struct spec_seccomp *sc)
{
  const struct spec_seccomp_arg *args = sc->syscalls[1].args;

  assert_int_equal(sc->default_action, SECCOMP_ACTION_ERRNO);
  assert_opt(sc->default_errno_ret, 1);
  assert_strv(&sc->architectures, 2, "SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
  assert_strv(&sc->flags, 1, "SECCOMP_FILTER_FLAG_LOG");
  assert_string_equal(sc->listener_path, "/run/agent.sock");
  assert_string_equal(sc->listener_metadata, "meta");
  assert_int_equal(sc->n_syscalls, 4);
  assert_strv(&sc->syscalls[0].names, 2, "read", "write");
  assert_int_equal(sc->syscalls[0].action, SECCOMP_ACTION_ALLOW);
  assert_false(sc->syscalls[0].errno_ret.set);
  assert_int_equal(sc->syscalls[1].n_args, 2);
  assert_int_equal(args[0].value, 8);
  assert_int_equal(args[0].value_two, 0);
  assert_int_equal(args[0].op, SECCOMP_OP_EQUAL_TO);
  assert_int_equal(args[1].value_two, 4);
  assert_int_equal(args[1].op, SECCOMP_OP_MASKED_EQUAL);
  assert_opt(sc->syscalls[2].errno_ret, 38);
  assert_strv(&sc->syscalls[3].names, 1, "no_such_syscall");
  assert_int_equal(sc->syscalls[3].action, SECCOMP_ACTION_NOTIFY);
}

static void test_full_config(void **state)
{
  struct oci_spec *s = parse_ok(full_config);

  (void)state;
  assert_string_equal(s->oci_version, "1.2.0");
  assert_string_equal(s->root.path, "rootfs");
  assert_true(s->root.readonly);
  assert_string_equal(s->hostname, "box");
  assert_string_equal(s->domainname, "example.org");
  assert_int_equal(s->n_annotations, 2);
  assert_string_equal(kv_get(s->annotations, s->n_annotations, "org.example.key"), "value");
  assert_non_null(s->process);
  check_full_process(s->process);
  check_full_mounts_hooks(s);
  check_full_linux(s);
  assert_true(s->linux_cfg.has_resources);
  check_full_resources(&s->linux_cfg.resources);
  check_full_resources_io(&s->linux_cfg.resources);
  assert_non_null(s->linux_cfg.seccomp);
  check_full_seccomp(s->linux_cfg.seccomp);
  spec_free(s);
}

/* ---- valid edge cases ------------------------------------------------------ */

#define MINIMAL "{'ociVersion':'1.0.2-dev','root':{'path':'rootfs'}}"

static void test_minimal_config(void **state)
{
  struct oci_spec *s = parse_ok(MINIMAL);
  const struct spec_linux *lx = &s->linux_cfg;

  (void)state;
  assert_string_equal(s->oci_version, "1.0.2-dev");
  assert_false(s->root.readonly);
  assert_null(s->process);
  assert_null(s->hostname);
  assert_int_equal(s->n_mounts + s->n_annotations + lx->n_namespaces + lx->n_devices, 0);
  assert_null(spec_namespace(s, CLONE_NEWPID));
  assert_false(lx->has_resources || lx->personality.set || lx->time_monotonic.set);
  assert_null(lx->seccomp);
  assert_int_equal(lx->rootfs_propagation, 0);
  /* String arrays are NULL-terminated even when absent. */
  assert_strv(&lx->masked_paths, 0);
  assert_strv(&lx->readonly_paths, 0);
  spec_free(s);
}

static void test_null_is_absent(void **state)
{
  struct oci_spec *s = parse_ok(
      "{'ociVersion':'1.3.0','root':{'path':'r','readonly':null},'mounts':null,"
      " 'hostname':null,'annotations':null,'hooks':{'prestart':null},"
      " 'process':{'user':{'uid':0,'gid':0,'umask':null,'additionalGids':null},"
      "  'args':['sh'],'cwd':'/','env':null,'capabilities':null,'rlimits':null,"
      "  'oomScoreAdj':null,'terminal':null},"
      " 'linux':{'namespaces':null,'resources':{'memory':null,'pids':{'limit':null}},"
      "  'seccomp':null,'sysctl':null,'rootfsPropagation':null,'personality':null}}");

  const struct spec_process *p = s->process;
  const struct spec_resources *res = &s->linux_cfg.resources;

  (void)state;
  assert_null(s->hostname);
  assert_null(s->linux_cfg.seccomp);
  assert_int_equal(s->hooks.count[HOOK_PRESTART] + p->user.n_additional_gids + p->n_rlimits, 0);
  assert_strv(&p->env, 0);
  assert_false(s->root.readonly || p->user.umask.set || p->has_capabilities ||
               p->oom_score_adj.set);
  assert_true(s->linux_cfg.has_resources && res->has_pids);
  assert_false(res->has_memory || res->pids.limit.set);
  spec_free(s);
}

static void test_unknown_properties_ignored(void **state)
{
  struct oci_spec *s = parse_ok(
      "{'ociVersion':'1.1.0','root':{'path':'r','x-extra':[1,2]},'platform':{'os':'linux'},"
      " 'windows':{'layerFolders':[]},'vm':{},'x':null,"
      " 'process':{'user':{'uid':0,'gid':0,'gname':'g'},'args':['sh'],'cwd':'/',"
      "  'ioPriority':{'class':'IOPRIO_CLASS_IDLE'},'scheduler':{'policy':'SCHED_OTHER'},"
      "  'execCPUAffinity':{'initial':'0'}},"
      " 'linux':{'rdma':{},"
      "  'memoryPolicy':{'mode':'MPOL_DEFAULT','x':1},'resources':{'memory':{'bogus':1}}}}");

  (void)state;
  assert_non_null(s->process);
  assert_true(s->linux_cfg.resources.has_memory);
  assert_true(s->process->io_priority.set && s->process->scheduler.set);
  assert_true(s->linux_cfg.memory_policy && s->linux_cfg.memory_policy->set);
  spec_free(s);
}

static void test_net_devices_intel_rdt_idmap(void **state)
{
  struct oci_spec *s = parse_ok(
      "{'ociVersion':'1.3.0','root':{'path':'r'},"
      " 'mounts':[{'destination':'/a','source':'/b','options':['rbind','ridmap']},"
      "  {'destination':'/c','source':'/d','options':['bind'],"
      "   'uidMappings':[{'containerID':0,'hostID':1,'size':2}],"
      "   'gidMappings':[{'containerID':0,'hostID':1,'size':2}]}],"
      " 'linux':{'namespaces':[{'type':'mount'},{'type':'network'},{'type':'user'}],"
      "  'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
      "  'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
      "  'netDevices':{'eth0':{'name':'c0'},'ens1':{},'ens2':{'name':''}},"
      "  'intelRdt':{'closID':'g','l3CacheSchema':'L3:0=f','memBwSchema':'MB:0=50',"
      "   'schemata':['L2:0=3'],'enableCMT':true}}}");
  const struct spec_linux *lx = &s->linux_cfg;

  (void)state;
  assert_true(s->mounts[0].idmap && s->mounts[0].idmap_recursive && s->mounts[0].is_bind);
  assert_true(s->mounts[1].idmap && !s->mounts[1].idmap_recursive);
  assert_null(s->mounts[0].data); /* the options are no file system data */
  assert_int_equal(lx->n_net_devices, 3);
  assert_string_equal(lx->net_devices[0].host_name, "eth0");
  assert_string_equal(lx->net_devices[0].name, "c0");
  assert_null(lx->net_devices[1].name);
  assert_null(lx->net_devices[2].name);
  assert_non_null(lx->intel_rdt);
  assert_string_equal(lx->intel_rdt->clos_id, "g");
  assert_string_equal(lx->intel_rdt->l3_cache_schema, "L3:0=f");
  assert_string_equal(lx->intel_rdt->mem_bw_schema, "MB:0=50");
  assert_string_equal(lx->intel_rdt->schemata.items[0], "L2:0=3");
  assert_true(lx->intel_rdt->enable_monitoring);
  spec_free(s);
}

/* runc's rules: a hostname needs some uts namespace (pods join one), an
 * existing user namespace needs no mappings, "" is no hostname. */
static void test_namespace_rules_valid(void **state)
{
  struct oci_spec *s = parse_ok(
      "{'ociVersion':'1.0.0','root':{'path':'r'},'hostname':'h',"
      " 'linux':{'namespaces':[{'type':'uts','path':'/proc/1/ns/uts'},"
      "  {'type':'user','path':'/proc/1/ns/user'}]}}");

  (void)state;
  assert_string_equal(spec_namespace(s, CLONE_NEWUTS)->path, "/proc/1/ns/uts");
  spec_free(s);
  s = parse_ok("{'ociVersion':'1.0.0','root':{'path':'r'},'hostname':''}");
  assert_string_equal(s->hostname, "");
  spec_free(s);
  /* Without a mount namespace empty lists are fine; a joined one mounts. */
  s = parse_ok("{'ociVersion':'1.0.0','root':{'path':'r'},'mounts':[],"
               " 'process':{'terminal':false,'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'},"
               " 'linux':{'maskedPaths':[],'readonlyPaths':[],'devices':[]}}");
  spec_free(s);
  s = parse_ok("{'ociVersion':'1.0.0','root':{'path':'r'},'mounts':[{'destination':'/p'}],"
               " 'linux':{'namespaces':[{'type':'mount','path':'/proc/1/ns/mnt'}]}}");
  spec_free(s);
}

static void test_namespace_names(void **state)
{
  static const char *const names[] = {"pid", "network", "mount", "ipc",
                                      "uts", "user",    "cgroup", "time"};
  static const int types[] = {CLONE_NEWPID, CLONE_NEWNET,  CLONE_NEWNS,     CLONE_NEWIPC,
                              CLONE_NEWUTS, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME};
  size_t i;

  (void)state;
  for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
    assert_int_equal(spec_namespace_type(names[i]), types[i]);
    assert_string_equal(spec_namespace_name(types[i]), names[i]);
  }
  assert_int_equal(spec_namespace_type("net"), -1);
  assert_null(spec_namespace_name(CLONE_VM));
  assert_string_equal(hook_stage_names[HOOK_CREATE_CONTAINER], "createContainer");
  assert_string_equal(hook_stage_names[HOOK_POSTSTOP], "poststop");
  assert_string_equal(cap_set_names[CAPSET_AMBIENT], "ambient");
}

/* ---- spec_load ---------------------------------------------------------------- */

static char tmpdir[64], config_path[128];

static int make_tmpdir(void **state)
{
  (void)state;
  strcpy(tmpdir, "/tmp/test_spec.XXXXXX");
  if (!mkdtemp(tmpdir))
    return -1;
  snprintf(config_path, sizeof(config_path), "%s/config.json", tmpdir);
  return 0;
}

static int remove_tmpdir(void **state)
{
  (void)state;
  unlink(config_path);
  return rmdir(tmpdir);
}

static const char *write_config(const char *text)
{
  char *doc = json(text);
  FILE *f = fopen(config_path, "w");

  assert_non_null(f);
  fputs(doc, f);
  fclose(f);
  free(doc);
  return config_path;
}

static void test_load(void **state)
{
  char path[128], expected[256];
  struct oci_spec *spec = NULL;
  hrun_error err = {0};

  (void)state;
  snprintf(path, sizeof(path), "%s/nope/config.json", tmpdir);
  assert_int_equal(spec_load(path, &spec, &err), -1);
  snprintf(expected, sizeof(expected), "cannot read %s: no such file or directory", path);
  assert_string_equal(err.msg, expected);
  assert_int_equal(err.errnum, ENOENT);
  assert_int_equal(spec_load(write_config(CFG(PROC(",'args':[]"))), &spec, &err), -1);
  assert_string_equal(err.msg, "config.json: process.args must not be empty");
  assert_int_equal(spec_load(write_config("{'ociVersion':"), &spec, &err), -1);
  assert_string_equal(err.msg, "config.json: invalid JSON: parse error: premature EOF");
  assert_null(spec);
  if (spec_load(write_config(full_config), &spec, &err) != 0)
    fail_msg("%s", err.msg);
  assert_int_equal(spec->linux_cfg.n_namespaces, 8);
  spec_free(spec);
}

/* ---- main ------------------------------------------------------------------------ */

int main(void)
{
  const struct CMUnitTest fixed[] = {
      cmocka_unit_test(test_full_config),
      cmocka_unit_test(test_minimal_config),
      cmocka_unit_test(test_null_is_absent),
      cmocka_unit_test(test_unknown_properties_ignored),
      cmocka_unit_test(test_net_devices_intel_rdt_idmap),
      cmocka_unit_test(test_namespace_rules_valid),
      cmocka_unit_test(test_namespace_names),
      cmocka_unit_test(test_load),
  };
  return cmocka_run_group_tests_name("spec", fixed, make_tmpdir, remove_tmpdir);
}
