// Yizhan SDK — writing a plugin in ordinary C++20.
//
// A plugin connects one kind of department system. Derive from Source, implement
// poll(), declare a config schema, and write one YZ_PLUGIN(...) line:
//
//   constexpr yz_config_field kConfig[] = {
//     {"base_url", YZ_CFG_STRING, 1, nullptr, "Base URL of the system's API", 0, -1},
//     {"page_size", YZ_CFG_INT, 0, "100", "Records per request", 1, 1000},
//   };
//   class MySource : public yizhan::sdk::Source {
//    public:
//     explicit MySource(const yizhan::sdk::SourceContext& ctx);
//     yizhan::sdk::PollResult poll(std::string_view cursor) override;
//   };
//   YZ_PLUGIN(my_system, "1.0.0", "My department's legacy system", kConfig, MySource)
//
// The macro emits the one exported entry point and a constant descriptor; it wraps
// every call so that no exception crosses into the hub (each becomes a yz_status).
// See examples/minimal_plugin for a complete, tested plugin.
//
// A system that calls the hub instead (a webhook: the push capability, ABI 1.1)
// derives from Receiver and uses YZ_PUSH_PLUGIN(...) the same way; the hub mounts
// POST /hooks/<instance> and hands each request to on_push().
//
// A plugin that also writes back to its system (the sink capability, ABI 1.2: the hub
// tells the system that a matter it reported was dispatched, replied to or closed)
// derives its class from Sink as well and implements deliver(); the YZ_PLUGIN and
// YZ_PUSH_PLUGIN macros see the base class and declare the capability. A plugin that
// only writes back uses YZ_SINK_PLUGIN(...) with a class derived from Sink alone.
#pragma once

#include <yizhan/sdk/abi.h>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>
#include <yizhan/sdk/case.hpp>
#include <yizhan/sdk/config.hpp>

namespace yizhan::sdk {

// One upstream record: mapped, or rejected with the reason (the hub dead-letters it).
struct Record {
  std::string external_id;
  CaseRecord mapped;  // meaningful only when error is empty
  std::string raw;    // the upstream payload as received
  std::string error;  // non-empty: could not be mapped, and why

  static Record ok(CaseRecord record, std::string raw_payload);
  static Record rejected(std::string external_id, std::string raw_payload, std::string reason);
};

// What poll() returns: records after the cursor, and the cursor after them.
struct PollResult {
  std::vector<Record> records;
  std::string next_cursor;  // opaque to the hub; stored with the batch
  bool has_more = false;    // more is ready right away
};

// Throw from poll() when the department system failed (HTTP 5xx, timeout, outage).
// The hub backs off and retries from the same cursor.
struct UpstreamError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Throw from poll() when the cursor cannot be read. The hub stops the instance
// until an operator resets it; it never restarts from zero silently.
struct CursorError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Throw from a constructor when the config is valid by schema but unusable.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Logging back to the hub, prefixed with the instance name. Thread-safe.
// Never pass clear personal data (ID numbers, phones): mask them first.
class Logger {
 public:
  Logger(const yz_host_api* host, std::string instance);
  void debug(std::string_view message) const;
  void info(std::string_view message) const;
  void warn(std::string_view message) const;
  void error(std::string_view message) const;

 private:
  void emit(int32_t level, std::string_view message) const;
  const yz_host_api* host_;
  std::string instance_;
};

// What a Source is constructed with.
struct SourceContext {
  std::string instance;  // the instance name from the hub config
  Config config;         // validated, defaults filled in
  Logger log;
};

// The source capability. The hub calls one instance from one thread at a time.
class Source {
 public:
  virtual ~Source() = default;
  // Required. Records after `cursor` (empty: from the beginning). Must work from any
  // cursor the plugin ever returned: the plugin keeps no position of its own.
  virtual PollResult poll(std::string_view cursor) = 0;
  // Optional. The batch up to `cursor` is durably stored in the hub.
  virtual void on_committed(std::string_view /*cursor*/) {}
};

// One request pushed by the department system to /hooks/<instance> (ABI 1.1).
struct PushRequest {
  std::string_view method, target, body;
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // names lower-case
  // The first header of that (lower-case) name, or empty.
  std::string_view header(std::string_view name) const;
};

// What on_push() returns: the records to store, and the acknowledgement the hub
// sends back once they are stored (a sender that gets no 2xx retries, so the same
// record may come twice: give it the same external id and version).
struct PushReply {
  std::vector<Record> records;
  int http_status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body = R"({"code":0,"message":"ok"})";
};

// Throw from on_push() to refuse a request as a whole (bad signature, replayed, not
// from this system): nothing of it is stored; the sender gets `http_status` and the
// message. A record that merely cannot be mapped is Record::rejected, not this.
struct PushRefused : std::runtime_error {
  PushRefused(int status, const std::string& message) : std::runtime_error(message), http_status(status) {}
  int http_status;
};

// The push capability. The hub calls one instance from one thread at a time.
class Receiver {
 public:
  virtual ~Receiver() = default;
  // Required. Authenticate, parse, map.
  virtual PushReply on_push(const PushRequest& request) = 0;
};

// One write-back (ABI 1.2): a step the hub took on a matter this system reported.
// The views are valid only during deliver().
struct Delivery {
  std::string_view delivery_id;   // the same on every retry: send it as the idempotency key
  std::string_view kind;          // "dispatched", "replied", "closed", "followed_up"
  std::string_view external_id;   // the system's own id of the matter
  std::string_view payload_json;  // case_id, kind, status, at, actor, reason, departments, text, rating
};

// Throw from deliver() when the system refuses the write-back for good (it does not
// know the matter, it rejects the content): the hub parks it with this message and
// goes on. Throw UpstreamError when it is merely not reachable now: the hub retries.
struct DeliveryRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The sink capability (ABI 1.2). The hub calls deliver() of one instance one call at a
// time, in the order the steps happened, and repeats a delivery until it returns.
// Return normally only once the system has the write-back (or had it already).
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void deliver(const Delivery& delivery) = 0;
};

// Masks all but the first 3 and last 4 characters: 138****1234. For logs.
std::string mask(std::string_view value);

namespace detail {

yz_status make_status(int32_t code, std::string_view message) noexcept;
yz_status current_exception_status(std::string_view operation) noexcept;
inline yz_bytes bytes(std::string_view s) noexcept { return {s.data(), s.size()}; }
inline std::string_view view(yz_bytes b) noexcept {
  return b.size ? std::string_view(b.data, b.size) : std::string_view();
}

// What an instance handle points at: the plugin's Source plus the memory of the
// last batch, which the ABI promises stays valid until the next poll.
struct InstanceBox {
  std::unique_ptr<Source> source;
  PollResult last;
  std::vector<std::string> case_json;
  std::vector<yz_record> views;
};

void fill_batch(InstanceBox& box, yz_batch* out);

// A Receiver instance and the memory of its last reply (valid until the next call).
struct ReceiverBox {
  std::unique_ptr<Receiver> receiver;
  PushReply last;
  std::vector<std::string> case_json;
  std::vector<yz_record> views;
};
PushRequest push_request(const yz_push_request& in);
void fill_reply(ReceiverBox& box, yz_push_reply* out);

template <class T>
struct ReceiverAdapter {
  static yz_status create(const yz_host_api* host, yz_bytes name, yz_bytes config_json, void** out) noexcept {
    try {
      SourceContext ctx{std::string(view(name)), Config(view(config_json)), Logger(host, std::string(view(name)))};
      auto box = std::make_unique<ReceiverBox>();
      box->receiver = std::make_unique<T>(ctx);
      *out = box.release();
      return make_status(YZ_OK, {});
    } catch (...) {
      return current_exception_status("create");
    }
  }
  static void destroy(void* instance) noexcept {
    try {
      delete static_cast<ReceiverBox*>(instance);
    } catch (...) {
    }
  }
  static yz_status on_push(void* instance, const yz_push_request* request, yz_push_reply* out) noexcept {
    *out = yz_push_reply{};
    try {
      auto& box = *static_cast<ReceiverBox*>(instance);
      box.last = box.receiver->on_push(push_request(*request));
      fill_reply(box, out);
      return make_status(YZ_OK, {});
    } catch (const PushRefused& e) {
      out->http_status = e.http_status;
      return make_status(YZ_E_INVALID_ARGUMENT, e.what());
    } catch (...) {
      return current_exception_status("on_push");
    }
  }
  static constexpr yz_push_vtable vtable{sizeof(yz_push_vtable), &create, &destroy, &on_push};
};

// A sink-only instance (YZ_SINK_PLUGIN).
struct SinkBox {
  std::unique_ptr<Sink> sink;
};

// The plugin's object inside each kind of box, for the sink adapter.
inline Source& held(InstanceBox& box) { return *box.source; }
inline Receiver& held(ReceiverBox& box) { return *box.receiver; }
inline Sink& held(SinkBox& box) { return *box.sink; }

template <class Box, class T>
struct SinkAdapter {
  static yz_status create(const yz_host_api* host, yz_bytes name, yz_bytes config_json, void** out) noexcept {
    try {
      SourceContext ctx{std::string(view(name)), Config(view(config_json)), Logger(host, std::string(view(name)))};
      auto box = std::make_unique<SinkBox>();
      box->sink = std::make_unique<T>(ctx);
      *out = box.release();
      return make_status(YZ_OK, {});
    } catch (...) {
      return current_exception_status("create");
    }
  }
  static void destroy(void* instance) noexcept {
    try {
      delete static_cast<SinkBox*>(instance);
    } catch (...) {
    }
  }
  static yz_status deliver(void* instance, const yz_delivery* d) noexcept {
    try {
      Sink& sink = static_cast<T&>(held(*static_cast<Box*>(instance)));
      sink.deliver(Delivery{view(d->delivery_id), view(d->kind), view(d->external_id), view(d->payload_json)});
      return make_status(YZ_OK, {});
    } catch (const DeliveryRefused& e) {
      return make_status(YZ_E_INVALID_ARGUMENT, std::string("deliver: ") + e.what());
    } catch (...) {
      return current_exception_status("deliver");
    }
  }
  // With another capability, instances are made by that vtable: create/destroy unused.
  static constexpr yz_sink_vtable vtable{sizeof(yz_sink_vtable), &create, &destroy, &deliver};
};

// The capability bit and vtable a class derived from Sink adds to its descriptor.
template <class Box, class T>
constexpr uint32_t sink_bit() {
  return std::is_base_of_v<Sink, T> ? YZ_CAP_SINK : 0u;
}
template <class Box, class T>
constexpr const yz_sink_vtable* sink_vtable() {
  if constexpr (std::is_base_of_v<Sink, T>)
    return &SinkAdapter<Box, T>::vtable;
  else
    return nullptr;
}

template <class T>
struct SourceAdapter {
  static yz_status create(const yz_host_api* host, yz_bytes name, yz_bytes config_json, void** out) noexcept {
    try {
      SourceContext ctx{std::string(view(name)), Config(view(config_json)), Logger(host, std::string(view(name)))};
      auto box = std::make_unique<InstanceBox>();
      box->source = std::make_unique<T>(ctx);
      *out = box.release();
      return make_status(YZ_OK, {});
    } catch (...) {
      return current_exception_status("create");
    }
  }
  static void destroy(void* instance) noexcept {
    try {
      delete static_cast<InstanceBox*>(instance);
    } catch (...) {
    }
  }
  static yz_status poll(void* instance, yz_bytes cursor, yz_batch* out) noexcept {
    try {
      auto& box = *static_cast<InstanceBox*>(instance);
      box.last = box.source->poll(view(cursor));
      fill_batch(box, out);
      return make_status(YZ_OK, {});
    } catch (...) {
      return current_exception_status("poll");
    }
  }
  static void on_committed(void* instance, yz_bytes cursor) noexcept {
    try {
      static_cast<InstanceBox*>(instance)->source->on_committed(view(cursor));
    } catch (...) {
    }
  }
  static constexpr yz_source_vtable vtable{sizeof(yz_source_vtable), &create, &destroy, &poll, &on_committed};
};

}  // namespace detail
}  // namespace yizhan::sdk

// Declares the plugin: its name (equal to its folder), semver, one-line description,
// config schema (a constexpr yz_config_field array) and Source class.
#define YZ_PLUGIN(NAME, VERSION, DESCRIPTION, CONFIG_FIELDS, SOURCE_TYPE)                                \
  namespace {                                                                                            \
  constinit const yz_plugin_descriptor yz_descriptor_{                                                   \
      sizeof(yz_plugin_descriptor),                                                                      \
      YZ_ABI_MAJOR,                                                                                      \
      YZ_ABI_MINOR,                                                                                      \
      #NAME,                                                                                             \
      VERSION,                                                                                           \
      DESCRIPTION,                                                                                       \
      YZ_CAP_SOURCE | ::yizhan::sdk::detail::sink_bit<::yizhan::sdk::detail::InstanceBox, SOURCE_TYPE>(), \
      CONFIG_FIELDS,                                                                                     \
      static_cast<uint32_t>(sizeof(CONFIG_FIELDS) / sizeof((CONFIG_FIELDS)[0])),                         \
      &::yizhan::sdk::detail::SourceAdapter<SOURCE_TYPE>::vtable,                                        \
      nullptr,                                                                                           \
      ::yizhan::sdk::detail::sink_vtable<::yizhan::sdk::detail::InstanceBox, SOURCE_TYPE>()};            \
  }                                                                                                      \
  extern "C" YZ_EXPORT const yz_plugin_descriptor* yizhan_plugin_entry_v1(const yz_host_api*) noexcept { \
    return &yz_descriptor_;                                                                              \
  }

// Declares a push plugin (ABI 1.1): as YZ_PLUGIN, with a Receiver class.
#define YZ_PUSH_PLUGIN(NAME, VERSION, DESCRIPTION, CONFIG_FIELDS, RECEIVER_TYPE)                         \
  namespace {                                                                                            \
  constinit const yz_plugin_descriptor yz_descriptor_{                                                   \
      sizeof(yz_plugin_descriptor),                                                                      \
      YZ_ABI_MAJOR,                                                                                      \
      YZ_ABI_MINOR,                                                                                      \
      #NAME,                                                                                             \
      VERSION,                                                                                           \
      DESCRIPTION,                                                                                       \
      YZ_CAP_PUSH | ::yizhan::sdk::detail::sink_bit<::yizhan::sdk::detail::ReceiverBox, RECEIVER_TYPE>(), \
      CONFIG_FIELDS,                                                                                     \
      static_cast<uint32_t>(sizeof(CONFIG_FIELDS) / sizeof((CONFIG_FIELDS)[0])),                         \
      nullptr,                                                                                           \
      &::yizhan::sdk::detail::ReceiverAdapter<RECEIVER_TYPE>::vtable,                                    \
      ::yizhan::sdk::detail::sink_vtable<::yizhan::sdk::detail::ReceiverBox, RECEIVER_TYPE>()};          \
  }                                                                                                      \
  extern "C" YZ_EXPORT const yz_plugin_descriptor* yizhan_plugin_entry_v1(const yz_host_api*) noexcept { \
    return &yz_descriptor_;                                                                              \
  }

// Declares a write-back-only plugin (ABI 1.2): as YZ_PLUGIN, with a Sink class.
#define YZ_SINK_PLUGIN(NAME, VERSION, DESCRIPTION, CONFIG_FIELDS, SINK_TYPE)                             \
  namespace {                                                                                            \
  constinit const yz_plugin_descriptor yz_descriptor_{                                                   \
      sizeof(yz_plugin_descriptor),                                                                      \
      YZ_ABI_MAJOR,                                                                                      \
      YZ_ABI_MINOR,                                                                                      \
      #NAME,                                                                                             \
      VERSION,                                                                                           \
      DESCRIPTION,                                                                                       \
      YZ_CAP_SINK,                                                                                       \
      CONFIG_FIELDS,                                                                                     \
      static_cast<uint32_t>(sizeof(CONFIG_FIELDS) / sizeof((CONFIG_FIELDS)[0])),                         \
      nullptr,                                                                                           \
      nullptr,                                                                                           \
      &::yizhan::sdk::detail::SinkAdapter<::yizhan::sdk::detail::SinkBox, SINK_TYPE>::vtable};          \
  }                                                                                                      \
  extern "C" YZ_EXPORT const yz_plugin_descriptor* yizhan_plugin_entry_v1(const yz_host_api*) noexcept { \
    return &yz_descriptor_;                                                                              \
  }
