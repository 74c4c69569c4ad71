/* The config parser's errors: each malformed config is refused with the
 * message that names its field (spec_parse). One test per case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"
#include "tests/unit/spec_test.h"

/* ---- malformed configs -------------------------------------------------------- */

/* The expected message doubles as the test's name. */
struct error_case {
  const char *json;
  const char *expected;
};


static const struct error_case error_cases[] = {
    /* document */
    {"{'ociVersion':", "invalid JSON: parse error: premature EOF"},
    {"[]", "expected an object"},
    {"{'root':{'path':'r'}}", "ociVersion: is required"},
    {"{'ociVersion':1,'root':{'path':'r'}}", "ociVersion: expected a string"},
    {"{'ociVersion':'2.0.0','root':{'path':'r'}}",
     "ociVersion: unsupported version \"2.0.0\" (expected 1.x)"},
    {"{'ociVersion':'1.0.0'}", "root: is required"},
    {"{'ociVersion':'1.0.0','root':null}", "root: is required"},
    {"{'ociVersion':'1.0.0','root':{}}", "root.path: is required"},
    {"{'ociVersion':'1.0.0','root':{'path':''}}", "root.path must not be empty"},
    /* mounts */
    {CFG("'mounts':{}"), "mounts: expected an array"},
    {CFG("'mounts':[{'destination':'/a'},'/b']"), "mounts[1]: expected an object"},
    {CFG("'mounts':[{'type':'tmpfs'}]"), "mounts[0].destination: is required"},
    {CFG("'mounts':[{'destination':'/a'},{'destination':'b'}]"),
     "mounts[1].destination must be an absolute path"},
    {CFG("'mounts':[{'destination':'/a','options':'ro'}]"),
     "mounts[0].options: expected an array of strings"},
    {CFG("'mounts':[{'destination':'/a','options':['ro',1]}]"),
     "mounts[0].options[1]: expected a string"},
    {CFG("'mounts':[{'destination':'/a','uidMappings':[{'containerID':'0','hostID':1,"
         "'size':1}]}]"),
     "mounts[0].uidMappings[0].containerID: expected an unsigned 32-bit integer"},
    {CFG("'mounts':[{'destination':'/a','type':'tmpfs','options':['ridmap']}]"),
     "mounts[0].options: an idmapped mount must be a bind mount"},
    {CFG("'mounts':[{'destination':'/a','source':'/b','options':['bind'],"
         "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
     "mounts[0].uidMappings: is required with gidMappings"},
    {CFG("'mounts':[{'destination':'/a','source':'/b','options':['bind','idmap']}]"),
     "mounts[0].uidMappings: an idmapped mount needs mappings of its own or a user namespace "
     "in linux.namespaces to take them from"},
    /* process */
    {CFG("'process':[]"), "process: expected an object"},
    {CFG(PROC(",'args':[]")), "process.args must not be empty"},
    {CFG("'process':{'user':{'uid':0,'gid':0},'cwd':'/'}"), "process.args must not be empty"},
    {CFG("'process':{'user':{'uid':0,'gid':0},'args':['sh']}"), "process.cwd: is required"},
    {CFG(PROC(",'cwd':'home'")), "process.cwd must be an absolute path"},
    {CFG("'process':{'args':['sh'],'cwd':'/'}"), "process.user: is required"},
    {CFG(PROC(",'user':{'gid':0}")), "process.user.uid: is required"},
    {CFG(PROC(",'user':{'uid':-1,'gid':0}")),
     "process.user.uid: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'user':{'uid':4294967296,'gid':0}")),
     "process.user.uid: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'user':{'uid':1.5,'gid':0}")),
     "process.user.uid: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'user':{'uid':0,'gid':1e3}")),
     "process.user.gid: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'user':{'uid':'0','gid':0}")),
     "process.user.uid: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'user':{'uid':0,'gid':0,'additionalGids':[1,-2]}")),
     "process.user.additionalGids[1]: expected an unsigned 32-bit integer"},
    {CFG(PROC(",'terminal':'true'")), "process.terminal: expected a boolean"},
    {CFG(PROC(",'consoleSize':{'height':1}")), "process.consoleSize.width: is required"},
    {CFG(PROC(",'capabilities':['CAP_KILL']")), "process.capabilities: expected an object"},
    {CFG(PROC(",'capabilities':{'bounding':['CAP_KILL','CAP_FOO']}")),
     "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\""},
    {CFG(PROC(",'capabilities':{'ambient':['cap_kill']}")),
     "process.capabilities.ambient[0]: unknown capability \"cap_kill\""},
    {CFG(PROC(",'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]")),
     "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {CFG(PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','hard':1}]")),
     "process.rlimits[0].soft: is required"},
    {CFG(PROC(",'rlimits':[{'type':'RLIMIT_CORE','soft':0,'hard':0},"
              "{'type':'RLIMIT_NOFILE','soft':1,'hard':-1}]")),
     "process.rlimits[1].hard: expected an unsigned integer"},
    {CFG(PROC(",'oomScoreAdj':1.5")), "process.oomScoreAdj: expected a 32-bit integer"},
    /* hostname, annotations, hooks */
    {CFG("'hostname':1"), "hostname: expected a string"},
    {CFG("'hostname':'h'," LINUX(NS("{'type':'pid'}"))), "hostname: requires a uts namespace"},
    {CFG("'domainname':'d'"), "domainname: requires a uts namespace"},
    /* no mount namespace: chroot only, nothing that would mount */
#define NO_MNTNS "requires a mount namespace (linux.namespaces has no \"mount\"; " \
                 "without one hrun only chroots into the rootfs)"
    {CFG("'mounts':[{'destination':'/proc','type':'proc'}]," LINUX("'maskedPaths':['/a']")),
     "mounts: " NO_MNTNS},
    {CFG(LINUX("'maskedPaths':['/proc/kcore']")), "linux.maskedPaths: " NO_MNTNS},
    {CFG(LINUX(NS("{'type':'pid'}") ",'readonlyPaths':['/proc/sys']")),
     "linux.readonlyPaths: " NO_MNTNS},
    {CFG(LINUX("'rootfsPropagation':'private'")), "linux.rootfsPropagation: " NO_MNTNS},
    {CFG(LINUX("'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229}]")),
     "linux.devices: " NO_MNTNS},
    {"{'ociVersion':'1.0.2','root':{'path':'r','readonly':true}}", "root.readonly: " NO_MNTNS},
    {CFG(PROC(",'terminal':true")), "process.terminal: " NO_MNTNS},
    {CFG("'annotations':[]"), "annotations: expected an object"},
    {CFG("'annotations':{'a':'1','org.foo':2}"), "annotations.org.foo: expected a string"},
    {CFG("'hooks':{'prestart':[{'path':'hook'}]}"),
     "hooks.prestart[0].path must be an absolute path"},
    {CFG("'hooks':{'createRuntime':[{'path':'/a'},{'args':[]}]}"),
     "hooks.createRuntime[1].path: is required"},
    {CFG("'hooks':{'poststop':[{'path':'/a'},{'path':'/b','timeout':0}]}"),
     "hooks.poststop[1].timeout must be greater than zero"},
    {CFG("'hooks':{'createContainer':[{'path':'/a','timeout':'5'}]}"),
     "hooks.createContainer[0].timeout: expected an integer"},
    /* linux: namespaces and ids */
    {CFG(LINUX(NS("{'type':'pid'},{'type':'foo'}"))),
     "linux.namespaces[1].type: unknown namespace type \"foo\""},
    {CFG(LINUX(NS("{'path':'/proc/1/ns/pid'}"))), "linux.namespaces[0].type: is required"},
    {CFG(LINUX(NS("{'type':'pid'},{'type':'ipc'},{'type':'pid'}"))),
     "linux.namespaces[2].type: duplicate namespace \"pid\""},
    {CFG(LINUX(NS("{'type':'network','path':'netns/x'}"))),
     "linux.namespaces[0].path must be an absolute path"},
    {CFG(LINUX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]")),
     "linux.uidMappings: requires a user namespace"},
    {CFG(LINUX(NS("{'type':'pid'}") ",'gidMappings':[{'containerID':0,'hostID':1,'size':1}]")),
     "linux.gidMappings: requires a user namespace"},
    {CFG(LINUX(NS("{'type':'user'}"))), "linux.uidMappings: is required with a new user namespace"},
    {CFG(LINUX(NS("{'type':'user'}") ",'uidMappings':[{'containerID':0,'hostID':1,'size':1}]")),
     "linux.gidMappings: is required with a new user namespace"},
    {CFG(LINUX("'uidMappings':[{'containerID':0,'hostID':1}]")),
     "linux.uidMappings[0].size: is required"},
    {CFG(LINUX("'timeOffsets':{'monotonic':{'secs':1}}")),
     "linux.timeOffsets: requires a new time namespace"},
    {CFG(LINUX(NS("{'type':'time','path':'/proc/1/ns/time'}") ","
               "'timeOffsets':{'boottime':{'secs':1}}")),
     "linux.timeOffsets: requires a new time namespace"},
    {CFG(LINUX(NS("{'type':'time'}") ",'timeOffsets':{'realtime':{'secs':1}}")),
     "linux.timeOffsets: unknown clock \"realtime\""},
    {CFG(LINUX(NS("{'type':'time'}") ",'timeOffsets':{'monotonic':{'nanosecs':1000000000}}")),
     "linux.timeOffsets.monotonic.nanosecs must be less than 1000000000"},
    /* linux: netDevices, intelRdt */
    {CFG(LINUX("'netDevices':{'eth0':{}}")),
     "linux.netDevices: requires a network namespace in linux.namespaces"},
    {CFG(LINUX(NS("{'type':'network'}") ",'netDevices':[]")),
     "linux.netDevices: expected an object"},
    {CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'eth0':1}")),
     "linux.netDevices.eth0: expected an object"},
    {CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'a:b':{}}")),
     "linux.netDevices.a:b: \"a:b\" is not a valid interface name"},
    {CFG(LINUX(NS("{'type':'network'}") ",'netDevices':{'e':{'name':'..'}}")),
     "linux.netDevices.e.name: \"..\" is not a valid interface name"},
    {CFG(LINUX("'intelRdt':{'closID':'../x'}")),
     "linux.intelRdt.closID: \"../x\" is not a valid group name"},
    {CFG(LINUX("'intelRdt':{'schemata':'L3:0=f'}")),
     "linux.intelRdt.schemata: expected an array of strings"},
    /* linux: devices, paths, labels */
    {CFG(LINUX("'devices':[{'type':'x','path':'/dev/x'}]")),
     "linux.devices[0].type: unknown device type \"x\""},
    {CFG(LINUX("'devices':[{'type':'c','path':'/dev/x','minor':1}]")),
     "linux.devices[0].major: is required"},
    {CFG(LINUX("'sysctl':{'net.ipv4.ip_forward':1}")),
     "linux.sysctl.net.ipv4.ip_forward: expected a string"},
    {CFG(LINUX("'maskedPaths':['/proc/kcore','proc/keys']")),
     "linux.maskedPaths[1] must be an absolute path"},
    {CFG(LINUX("'rootfsPropagation':'weird'")),
     "linux.rootfsPropagation: unknown propagation \"weird\""},
    {CFG(LINUX("'personality':{'domain':'LINUX64'}")),
     "linux.personality.domain: unknown personality domain \"LINUX64\""},
    {CFG(LINUX("'personality':{'domain':'LINUX','flags':['X']}")),
     "linux.personality.flags[0]: unknown personality flag \"X\""},
    /* process.ioPriority, process.scheduler, linux.memoryPolicy */
    {CFG(PROC(",'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':-1}")),
     "process.ioPriority.priority must be between 0 and 7, not -1"},
    {CFG(PROC(",'scheduler':{'policy':'SCHED_FIFO','priority':0}")),
     "process.scheduler.priority must be between 1 and 99 with SCHED_FIFO and SCHED_RR, not 0"},
    {CFG(PROC(",'scheduler':{'policy':'SCHED_DEADLINE','runtime':1000,'deadline':2000}")),
     "process.scheduler.runtime must be at least 1024 (nanoseconds) with SCHED_DEADLINE"},
    {CFG(PROC(",'scheduler':{'policy':'SCHED_IDLE','period':10}")),
     "process.scheduler: runtime, deadline and period can only be set with SCHED_DEADLINE"},
    {CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'3-1'}")),
     "linux.memoryPolicy.nodes: \"3-1\" is not a node list like \"0-3,7\" (nodes 0 to 1023)"},
    {CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'1024'}")),
     "linux.memoryPolicy.nodes: \"1024\" is not a node list like \"0-3,7\" (nodes 0 to 1023)"},
    {CFG(LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0','flags':['MPOL_F_X']}")),
     "linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_X\""},
    /* linux.resources */
    {CFG(RES("'devices':[{'access':'rwm'}]")), "linux.resources.devices[0].allow: is required"},
    {CFG(RES("'devices':[{'allow':true,'type':'p'}]")),
     "linux.resources.devices[0].type: unknown device type \"p\""},
    {CFG(RES("'devices':[{'allow':true,'access':'rwx'}]")),
     "linux.resources.devices[0].access: invalid access \"rwx\" (expected a combination of r, "
     "w and m)"},
    {CFG(RES("'memory':{'limit':'1G'}")), "linux.resources.memory.limit: expected an integer"},
    {CFG(RES("'memory':{'limit':9223372036854775808}")),
     "linux.resources.memory.limit: expected an integer"},
    {CFG(RES("'memory':{'swappiness':101}")),
     "linux.resources.memory.swappiness must be at most 100"},
    {CFG(RES("'cpu':{'shares':-1}")), "linux.resources.cpu.shares: expected an unsigned integer"},
    {CFG(RES("'blockIO':{'weight':70000}")),
     "linux.resources.blockIO.weight: expected an unsigned 16-bit integer"},
    {CFG(RES("'blockIO':{'weightDevice':[{'major':8,'minor':0}]}")),
     "linux.resources.blockIO.weightDevice[0] must set weight or leafWeight"},
    {CFG(RES("'unified':{'memory.max':1024}")),
     "linux.resources.unified.memory.max: expected a string"},
    /* linux.seccomp */
    {CFG(SECCOMP("'architectures':[]")), "linux.seccomp.defaultAction: is required"},
    {CFG(SECCOMP("'defaultAction':'SCMP_ACT_FOO'")),
     "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\""},
    {CFG(SECCOMP(SC_ALLOW ",'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_FOO']")),
     "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_FOO\""},
    {CFG(SECCOMP(SC_ALLOW ",'flags':['SECCOMP_FILTER_FLAG_FOO']")),
     "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\""},
    {CFG(SECCOMP(SC_ALLOW ",'syscalls':[{'names':[],'action':'SCMP_ACT_ERRNO'}]")),
     "linux.seccomp.syscalls[0].names must not be empty"},
    {CFG(SECCOMP(SC_ALLOW ",'syscalls':[{'names':['read'],'action':'SCMP_ACT_NOPE'}]")),
     "linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_NOPE\""},
    {CFG(SECCOMP(SC_ALLOW ",'syscalls':[{'names':['a'],'action':'SCMP_ACT_LOG'},"
                          "{'names':['b'],'action':'SCMP_ACT_LOG','args':[{'index':1,"
                          "'value':2,'op':'SCMP_CMP_FOO'}]}]")),
     "linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_FOO\""},
    {CFG(SECCOMP(SC_ALLOW ",'syscalls':[{'names':['a'],'action':'SCMP_ACT_LOG',"
                          "'args':[{'index':6,'value':0,'op':'SCMP_CMP_EQ'}]}]")),
     "linux.seccomp.syscalls[0].args[0].index must be between 0 and 5"},
    {CFG(SECCOMP(SC_ALLOW ",'syscalls':[{'names':['a'],'action':'SCMP_ACT_NOTIFY'}]")),
     "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY requires linux.seccomp.listenerPath"},
    {CFG(SECCOMP("'defaultAction':'SCMP_ACT_NOTIFY'")),
     "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY requires linux.seccomp.listenerPath"},
    {CFG(SECCOMP(SC_ALLOW ",'listenerMetadata':'m'")),
     "linux.seccomp.listenerMetadata: requires linux.seccomp.listenerPath"},
    {CFG(SECCOMP("'defaultAction':'SCMP_ACT_KILL','syscalls':[{'names':['a'],"
                 "'action':'SCMP_ACT_ALLOW','errnoRet':1}]")),
     "linux.seccomp.syscalls[0].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"},
};

#define N_ERROR_CASES (sizeof(error_cases) / sizeof(error_cases[0]))

static void test_error_case(void **state)
{
  const struct error_case *c = *state;
  char *doc = json(c->json);
  struct oci_spec *spec = NULL;
  hrun_error err = {0};
  int ret = spec_parse(doc, strlen(doc), &spec, &err);

  free(doc);
  if (ret == 0) {
    spec_free(spec);
    fail_msg("parsed %s", c->json);
  }
  assert_null(spec);
  if (strcmp(err.msg, c->expected) != 0)
    fail_msg("%s\n  got      \"%s\"\n  expected \"%s\"", c->json, err.msg, c->expected);
  /* The CLI's exit status and callers go by the kind, not the text. */
  assert_int_equal(err.kind, HRUN_ERR_INVALID_CONFIG);
}

int main(void)
{
  struct CMUnitTest tests[N_ERROR_CASES];
  size_t i;

  for (i = 0; i < N_ERROR_CASES; i++) {
    struct CMUnitTest t = cmocka_unit_test_prestate(test_error_case, (void *)&error_cases[i]);

    t.name = error_cases[i].expected;
    tests[i] = t;
  }
  return _cmocka_run_group_tests("spec errors", tests, N_ERROR_CASES, NULL, NULL);
}
