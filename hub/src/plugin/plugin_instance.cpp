#include "plugin/source_instance.hpp"

#include <stdexcept>

namespace yizhan::plugin {
namespace {
yz_bytes bytes(const std::string& s) { return {s.data(), s.size()}; }
std::string text(yz_bytes b) { return b.size && b.data ? std::string(b.data, b.size) : std::string(); }
}  // namespace

SourceInstance::SourceInstance(std::string name, const yz_plugin_descriptor& plugin, const yz_host_api* host,
                               const std::string& config_json)
    : name_(std::move(name)), plugin_name_(plugin.name), vt_(plugin.source) {
  yz_status st{};
  try {
    st = vt_->create(host, bytes(name_), bytes(config_json), &handle_);
  } catch (...) {
    throw std::runtime_error("instance '" + name_ + "' (plugin " + plugin_name_ +
                             "): create threw across the ABI, which a plugin must never do");
  }
  if (st.code != YZ_OK || !handle_)
    throw std::runtime_error("instance '" + name_ + "' (plugin " + plugin_name_ + "): create failed: " +
                             (st.code != YZ_OK ? std::string(st.message) : std::string("no instance returned")));
}

SourceInstance::~SourceInstance() {
  if (handle_) try {
      vt_->destroy(handle_);
    } catch (...) {
    }
}

PollResult SourceInstance::poll(const std::string& cursor) {
  PollResult out;
  yz_batch batch{};
  yz_status st{};
  try {
    st = vt_->poll(handle_, bytes(cursor), &batch);
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

void SourceInstance::on_committed(const std::string& cursor) {
  if (!vt_->on_committed) return;
  try {
    vt_->on_committed(handle_, bytes(cursor));
  } catch (...) {
  }
}

}  // namespace yizhan::plugin
