/*
** Yizhan plugin ABI, version 1.2 — the C boundary between the hub and a plugin.
** 1.0: descriptor, source capability. 1.1: the push capability (webhooks), appended.
** 1.2: the sink capability (write-back to the department system), appended.
**
** Everything that crosses between the hub and a plugin is declared here: plain
** structs, function pointers, (pointer, length) byte spans and status values
** returned by value. No heap memory, C++ exception or STL type crosses, so a
** plugin built by another compiler (or another libstdc++) still loads.
**
** Integrators normally do not use this header directly: <yizhan/sdk/plugin.hpp>
** wraps it in C++20 (yizhan::sdk::Source, YZ_PLUGIN). It is public because it IS
** the contract, and because tools may want to read descriptors.
**
** Compatibility promise:
**  - YZ_ABI_MAJOR changes when a member is removed, reordered or changes meaning;
**    a hub refuses a plugin whose major differs from its own.
**  - YZ_ABI_MINOR changes when a member is appended at the END of a struct;
**    a hub refuses a plugin whose minor is newer than its own, and reads an
**    older plugin's structs only as far as their struct_size says.
**  - tests/sdk/abi_layout_test.cpp pins sizes and offsets: changing a layout
**    without changing the version fails the build's tests.
*/
#ifndef YIZHAN_SDK_ABI_H
#define YIZHAN_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define YZ_ABI_MAJOR 1
#define YZ_ABI_MINOR 2

/* The one symbol a plugin exports. */
#define YZ_ENTRY_SYMBOL "yizhan_plugin_entry_v1"

#if defined(_WIN32)
#define YZ_EXPORT __declspec(dllexport)
#else
#define YZ_EXPORT __attribute__((visibility("default")))
#endif

/* A byte span. Never NUL-terminated by contract; `data` may be NULL when size is 0. */
typedef struct yz_bytes {
  const char* data;
  size_t size;
} yz_bytes;

/* Status codes. 0 is success; every other code comes with a message. */
typedef enum yz_code {
  YZ_OK = 0,
  YZ_E_INVALID_ARGUMENT = 1, /* the hub passed something the plugin cannot use */
  YZ_E_CONFIG = 2,           /* the instance's config is unusable (beyond the schema) */
  YZ_E_UPSTREAM = 3,         /* the department system failed or is unreachable; retry later */
  YZ_E_CURSOR_INVALID = 4,   /* the cursor cannot be read: instance stops until reset */
  YZ_E_INTERNAL = 5,         /* a bug or exception inside the plugin */
  YZ_E_UNSUPPORTED = 6       /* the operation is not implemented by this plugin */
} yz_code;

/* Returned by value: no allocation crosses the boundary. `message` is UTF-8, NUL-terminated. */
typedef struct yz_status {
  int32_t code; /* a yz_code */
  char message[512];
} yz_status;

/* Log levels for yz_host_api.log (same order as spdlog). */
typedef enum yz_log_level {
  YZ_LOG_TRACE = 0,
  YZ_LOG_DEBUG = 1,
  YZ_LOG_INFO = 2,
  YZ_LOG_WARN = 3,
  YZ_LOG_ERROR = 4
} yz_log_level;

/* What the hub offers a plugin. Owned by the hub; valid for the life of the process. */
typedef struct yz_host_api {
  uint32_t struct_size;
  uint16_t abi_major, abi_minor;
  void* ctx; /* pass back as the first argument of the callbacks */
  /* Optional to call. Thread-safe. The hub prefixes the plugin instance's name.
  ** The message must not contain clear personal data (ID numbers, phones). */
  void (*log)(void* ctx, int32_t level, yz_bytes instance, yz_bytes message);
} yz_host_api;

/* Config value types of a schema field. */
typedef enum yz_config_type {
  YZ_CFG_STRING = 0,
  YZ_CFG_INT = 1,       /* 64-bit signed; bounds in min/max */
  YZ_CFG_BOOL = 2,
  YZ_CFG_DOUBLE = 3,
  YZ_CFG_STRING_MAP = 4, /* mapping of string keys to string values (e.g. code tables) */
  YZ_CFG_STRING_LIST = 5
} yz_config_type;

/* One key of a plugin's typed config schema. */
typedef struct yz_config_field {
  const char* key;           /* lower_snake_case */
  int32_t type;              /* a yz_config_type */
  int32_t required;          /* 1: must be given; 0: optional, `default_value` applies */
  const char* default_value; /* as YAML scalar text; NULL for none */
  const char* description;   /* one sentence for integrators and `yizhan plugins list` */
  int64_t min, max;          /* for YZ_CFG_INT; min > max means unbounded */
} yz_config_field;

/* One record returned by poll. All spans are owned by the plugin (see poll). */
typedef struct yz_record {
  yz_bytes external_id; /* the upstream system's id for the matter; required */
  yz_bytes case_json;   /* the mapped CaseRecord as JSON (see case.hpp); empty if rejected */
  yz_bytes raw;         /* the upstream payload as received, for dead letters and audit */
  yz_bytes error;       /* non-empty: the plugin could not map `raw`; the hub dead-letters it */
} yz_record;

/* A batch from poll. Owned by the plugin instance (see poll). */
typedef struct yz_batch {
  const yz_record* records;
  uint32_t count;
  uint32_t has_more; /* 1: more is ready now, the hub polls again without waiting */
  yz_bytes next_cursor; /* opaque; the hub stores it with the batch, in one transaction */
} yz_batch;

/*
** The source capability: the hub pulls records.
** Thread: the hub calls one instance from one thread at a time (its poll worker);
** destroy() may come from another thread, but never concurrently with another call.
*/
typedef struct yz_source_vtable {
  uint32_t struct_size;
  /** Required. Make an instance. `config_json` is an object already validated
  ** against the descriptor's schema, with defaults filled in. On success set
  ** *out_instance (owned by the plugin until destroy). */
  yz_status (*create)(const yz_host_api* host, yz_bytes instance_name, yz_bytes config_json,
                      void** out_instance);
  /** Required. Free the instance and everything it owns. */
  void (*destroy)(void* instance);
  /** Required. Return the records after `cursor` (empty: from the beginning).
  ** Memory: *out and every span in it stay valid until the next poll() or destroy()
  ** on this instance. The plugin keeps no position of its own: the hub passes the
  ** last committed cursor on every call, so a re-poll from an older cursor must work. */
  yz_status (*poll)(void* instance, yz_bytes cursor, yz_batch* out);
  /** Optional (may be NULL). Told after the batch up to `cursor` is durably stored,
  ** e.g. to acknowledge upstream. Must not fail. */
  void (*on_committed)(void* instance, yz_bytes cursor);
} yz_source_vtable;

/* Capability bits. */
#define YZ_CAP_SOURCE 0x1u
#define YZ_CAP_PUSH 0x2u /* ABI 1.1 */
#define YZ_CAP_SINK 0x4u /* ABI 1.2 */

/* ABI 1.1. One HTTP header of a pushed request. Names are lower-case. */
typedef struct yz_header {
  yz_bytes name;
  yz_bytes value;
} yz_header;

/* ABI 1.1. A request the department system sent to the hub's /hooks/<instance>.
** Owned by the hub; valid only during the on_push call. */
typedef struct yz_push_request {
  uint32_t struct_size;
  yz_bytes method; /* e.g. "POST" */
  yz_bytes target; /* path and query as received: "/hooks/kelan_mediation?x=1" */
  const yz_header* headers;
  uint32_t header_count;
  yz_bytes body;
} yz_push_request;

/* ABI 1.1. What the plugin makes of a pushed request. Owned by the plugin instance:
** valid until the next on_push or destroy on it. The hub stores `records` (as it stores
** a polled batch: valid ones upserted, rejected ones dead-lettered) and only then
** answers the sender with http_status, content_type and body; if storing fails it
** answers 503 instead, so the sender retries. */
typedef struct yz_push_reply {
  int32_t http_status;  /* 0: 200 */
  yz_bytes content_type; /* empty: "application/json; charset=utf-8" */
  yz_bytes body;         /* what the sender expects as an acknowledgement */
  const yz_record* records;
  uint32_t count;
} yz_push_reply;

/*
** ABI 1.1. The push capability: the department system calls the hub (a webhook).
** Thread: the hub calls on_push of one instance from one thread at a time.
** A plugin with both capabilities makes its instances with the source vtable's
** create/destroy; these are used when it has no source capability.
*/
typedef struct yz_push_vtable {
  uint32_t struct_size;
  /** Required. As yz_source_vtable.create. */
  yz_status (*create)(const yz_host_api* host, yz_bytes instance_name, yz_bytes config_json, void** out_instance);
  /** Required. As yz_source_vtable.destroy. */
  void (*destroy)(void* instance);
  /** Required. Authenticate (e.g. check the request's signature), parse and map the
  ** pushed records into *out. A request refused as a whole (bad signature, not this
  ** system's) is a status other than OK; set out->http_status (401, 403, 400...) for
  ** the answer, which carries the status message; nothing of it is stored. A record
  ** that cannot be mapped is a rejected record, not a refusal: it is kept. */
  yz_status (*on_push)(void* instance, const yz_push_request* request, yz_push_reply* out);
} yz_push_vtable;

/* ABI 1.2. One write-back the hub delivers to the department system: a step the hub
** took on a matter that system reported (dispatched, replied, closed...). Owned by the
** hub; valid only during the deliver call. */
typedef struct yz_delivery {
  uint32_t struct_size;
  yz_bytes delivery_id;  /* unique per delivery and the same on every retry: send it as the
                         ** system's idempotency key, so a retried delivery counts once */
  yz_bytes kind;         /* what happened: "dispatched", "replied", "closed", "followed_up" */
  yz_bytes external_id;  /* the system's own id of the matter (the record it reported) */
  yz_bytes payload_json; /* an object: case_id, kind, status, at (UTC), actor, reason,
                         ** departments, text (the reply or the outcome), rating */
} yz_delivery;

/*
** ABI 1.2. The sink capability: the hub writes back to the department system.
** The hub delivers one instance's write-backs one at a time, in the order they
** happened, each until it succeeds: a later one waits while an earlier one is retried.
** Thread: one call at a time per instance; with the source capability, the calls may
** come from another thread than poll's, but never concurrently with poll on the same
** instance. A plugin with the source (or push) capability makes its instances with
** that vtable's create/destroy; these are used when it has neither.
*/
typedef struct yz_sink_vtable {
  uint32_t struct_size;
  /** Required. As yz_source_vtable.create. */
  yz_status (*create)(const yz_host_api* host, yz_bytes instance_name, yz_bytes config_json, void** out_instance);
  /** Required. As yz_source_vtable.destroy. */
  void (*destroy)(void* instance);
  /** Required. Deliver one write-back. YZ_OK: the system has it (or already had it: the
  ** same delivery_id). YZ_E_UPSTREAM: not now (down, 5xx, timeout): the hub retries it
  ** with backoff and holds the later ones. YZ_E_INVALID_ARGUMENT: the system refuses it
  ** for good (unknown matter, invalid): the hub parks it with the message, reports it
  ** and goes on with the next. */
  yz_status (*deliver)(void* instance, const yz_delivery* delivery);
} yz_sink_vtable;

/*
** The descriptor: static, constant, returned by the entry point.
** New members only at the end; the hub checks struct_size before reading any.
*/
typedef struct yz_plugin_descriptor {
  uint32_t struct_size; /* sizeof(yz_plugin_descriptor) as compiled into the plugin */
  uint16_t abi_major, abi_minor;
  const char* name;        /* [a-z][a-z0-9_]*, equal to the plugin's folder name */
  const char* version;     /* the plugin's own semver, e.g. "1.2.0" */
  const char* description; /* one line: which department system it connects */
  uint32_t capabilities;   /* YZ_CAP_* bits */
  const yz_config_field* config;
  uint32_t config_count;
  const yz_source_vtable* source; /* required iff YZ_CAP_SOURCE */
  /* ABI 1.1 */
  const yz_push_vtable* push; /* required iff YZ_CAP_PUSH; read only if struct_size covers it */
  /* ABI 1.2 */
  const yz_sink_vtable* sink; /* required iff YZ_CAP_SINK; read only if struct_size covers it */
} yz_plugin_descriptor;

/* The entry point's type. Must be noexcept, cheap and side-effect free (no threads,
** no I/O): the hub calls it at load to read the descriptor. `host` stays valid. */
typedef const yz_plugin_descriptor* (*yz_entry_fn)(const yz_host_api* host);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* YIZHAN_SDK_ABI_H */
