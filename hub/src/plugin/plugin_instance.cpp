#include "plugin/plugin_instance.hpp"

#include <stdexcept>
#include <yizhan/sdk/host.hpp>

namespace yizhan::plugin {
namespace {
yz_bytes bytes(const std::string& s) { return {s.data(), s.size()}; }
std::string text(yz_bytes b) { return b.size && b.data ? std::string(b.data, b.size) : std::string(); }
}  // namespace

PluginInstance::PluginInstance(std::string name, const yz_plugin_descriptor& plugin, const yz_host_api* host,
                               const std::string& config_json)
    : name_(std::move(name)),
      plugin_name_(plugin.name),
      source_((plugin.capabilities & YZ_CAP_SOURCE) ? plugin.source : nullptr),
      push_((plugin.capabilities & YZ_CAP_PUSH) ? sdk::host::push_vtable(plugin) : nullptr),
      sink_((plugin.capabilities & YZ_CAP_SINK) ? sdk::host::sink_vtable(plugin) : nullptr) {
  // One handle per instance, from the source vtable when the plugin has one.
  const auto life = sdk::host::lifecycle(plugin);
  auto create = life.create;
  destroy_ = life.destroy;
  if (!create)
    throw std::runtime_error("instance '" + name_ + "' (plugin " + plugin_name_ + "): the plugin has no capability");
  yz_status st{};
  try {
    st = create(host, bytes(name_), bytes(config_json), &handle_);
  } catch (...) {
    throw std::runtime_error("instance '" + name_ + "' (plugin " + plugin_name_ +
                             "): create threw across the ABI, which a plugin must never do");
  }
  if (st.code != YZ_OK || !handle_)
    throw std::runtime_error("instance '" + name_ + "' (plugin " + plugin_name_ + "): create failed: " +
                             (st.code != YZ_OK ? std::string(st.message) : std::string("no instance returned")));
}

PluginInstance::~PluginInstance() {
  if (handle_) try {
      destroy_(handle_);
    } catch (...) {
    }
}

PollResult PluginInstance::poll(const std::string& cursor) {
  PollResult out;
  if (!source_) {
    out.code = YZ_E_UNSUPPORTED;
    out.message = "[" + name_ + "] poll: plugin " + plugin_name_ + " has no source capability";
    return out;
  }
  yz_batch batch{};
  yz_status st{};
  try {
    st = source_->poll(handle_, bytes(cursor), &batch);
  } catch (const std::exception& e) {
    out.code = YZ_E_INTERNAL;
    out.message = "[" + name_ + "] poll threw across the ABI: " + e.what();
    return out;
  } catch (...) {
    out.code = YZ_E_INTERNAL;
    out.message = "[" + name_ + "] poll threw across the ABI";
    return out;
  }
  out.code = st.code;
  if (st.code != YZ_OK) {
    st.message[sizeof(st.message) - 1] = '\0';
    out.message = "[" + name_ + "] " + st.message;
    return out;
  }
  if (batch.count && !batch.records) {
    out.code = YZ_E_INTERNAL;
    out.message = "[" + name_ + "] poll returned " + std::to_string(batch.count) + " records but no array";
    return out;
  }
  out.records.reserve(batch.count);
  for (uint32_t i = 0; i < batch.count; ++i) {
    const auto& r = batch.records[i];
    out.records.push_back({text(r.external_id), text(r.case_json), text(r.raw), text(r.error)});
  }
  out.next_cursor = text(batch.next_cursor);
  out.has_more = batch.has_more != 0;
  return out;
}

void PluginInstance::on_committed(const std::string& cursor) {
  if (!source_ || !source_->on_committed) return;
  try {
    source_->on_committed(handle_, bytes(cursor));
  } catch (...) {
  }
}

PushResult PluginInstance::push(const PushCall& call) {
  PushResult out;
  if (!push_) {
    out.code = YZ_E_UNSUPPORTED;
    out.message = "[" + name_ + "] on_push: plugin " + plugin_name_ + " has no push capability";
    return out;
  }
  std::vector<yz_header> headers;
  headers.reserve(call.headers.size());
  for (const auto& [n, v] : call.headers) headers.push_back({bytes(n), bytes(v)});
  yz_push_request req{sizeof(yz_push_request),
                      bytes(call.method),
                      bytes(call.target),
                      headers.data(),
                      static_cast<uint32_t>(headers.size()),
                      bytes(call.body)};
  yz_push_reply reply{};
  yz_status st{};
  try {
    st = push_->on_push(handle_, &req, &reply);
  } catch (...) {
    out.code = YZ_E_INTERNAL;
    out.message = "[" + name_ + "] on_push threw across the ABI";
    return out;
  }
  out.code = st.code;
  out.http_status = reply.http_status;
  if (st.code != YZ_OK) {
    st.message[sizeof(st.message) - 1] = '\0';
    out.message = "[" + name_ + "] " + st.message;
    return out;
  }
  if (reply.count && !reply.records) {
    out.code = YZ_E_INTERNAL;
    out.message = "[" + name_ + "] on_push returned " + std::to_string(reply.count) + " records but no array";
    return out;
  }
  out.content_type = text(reply.content_type);
  out.body = text(reply.body);
  out.records.reserve(reply.count);
  for (uint32_t i = 0; i < reply.count; ++i) {
    const auto& r = reply.records[i];
    out.records.push_back({text(r.external_id), text(r.case_json), text(r.raw), text(r.error)});
  }
  return out;
}

DeliverResult PluginInstance::deliver(const Delivery& d) {
  if (!sink_) return {YZ_E_UNSUPPORTED, "[" + name_ + "] deliver: plugin " + plugin_name_ + " has no sink capability"};
  yz_delivery in{sizeof(yz_delivery), bytes(d.delivery_id), bytes(d.kind), bytes(d.external_id), bytes(d.payload_json)};
  yz_status st{};
  try {
    st = sink_->deliver(handle_, &in);
  } catch (...) {
    return {YZ_E_INTERNAL, "[" + name_ + "] deliver threw across the ABI"};
  }
  if (st.code == YZ_OK) return {};
  return {st.code, "[" + name_ + "] " + std::string(st.message)};
}

}  // namespace yizhan::plugin
