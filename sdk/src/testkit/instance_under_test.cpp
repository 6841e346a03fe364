// Driving one plugin instance through the C ABI, as the hub does.
#include <stdexcept>
#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace yizhan::sdk::testkit {
namespace {
std::string_view view(yz_bytes b) { return b.size ? std::string_view(b.data, b.size) : std::string_view(); }
yz_bytes bytes(std::string_view s) { return {s.data(), s.size()}; }
}  // namespace

InstanceUnderTest::InstanceUnderTest(const std::filesystem::path& library, std::string_view config_json,
                                     std::string instance_name) {
  auto loaded = host::load_plugin(library, host::null_host_api());
  descriptor_ = loaded.descriptor;
  auto check = host::validate_config(*descriptor_, instance_name, config_json);
  if (!check.errors.empty()) throw std::runtime_error("config rejected: " + check.errors.front());
  yz_status st = host::lifecycle(*descriptor_).create(host::null_host_api(), bytes(instance_name), bytes(check.normalized_json), &instance_);
  if (st.code != YZ_OK) throw std::runtime_error(std::string("create failed: ") + st.message);
}

InstanceUnderTest::~InstanceUnderTest() {
  if (instance_) host::lifecycle(*descriptor_).destroy(instance_);
}

DeliveryOutcome InstanceUnderTest::deliver(const DeliveryCall& call) {
  const auto* vt = (descriptor_->capabilities & YZ_CAP_SINK) ? host::sink_vtable(*descriptor_) : nullptr;
  if (!vt) return {YZ_E_UNSUPPORTED, "the plugin has no sink capability"};
  yz_delivery d{sizeof(yz_delivery), bytes(call.delivery_id), bytes(call.kind), bytes(call.external_id),
                bytes(call.payload_json)};
  yz_status st = vt->deliver(instance_, &d);
  return {st.code, st.message};
}

namespace {
PolledRecord copy_record(const yz_record& r) {
  PolledRecord pr{std::string(view(r.external_id)), std::nullopt, std::string(view(r.raw)), std::string(view(r.error))};
  if (pr.error.empty()) pr.mapped = case_record_from_json(view(r.case_json));
  return pr;
}
}  // namespace

PushOutcome InstanceUnderTest::push(const PushCall& call) {
  PushOutcome out;
  const auto* vt = host::push_vtable(*descriptor_);
  if (!vt) {
    out.code = YZ_E_UNSUPPORTED;
    out.message = "the plugin has no push capability";
    return out;
  }
  std::vector<yz_header> headers;
  for (const auto& [n, v] : call.headers) headers.push_back({bytes(n), bytes(v)});
  yz_push_request req{sizeof(yz_push_request),
                      bytes(call.method),
                      bytes(call.target),
                      headers.data(),
                      static_cast<uint32_t>(headers.size()),
                      bytes(call.body)};
  yz_push_reply reply{};
  yz_status st = vt->on_push(instance_, &req, &reply);
  out.code = st.code;
  out.message = st.message;
  out.http_status = reply.http_status;
  if (st.code != YZ_OK) return out;
  out.content_type = std::string(view(reply.content_type));
  out.body = std::string(view(reply.body));
  for (uint32_t i = 0; i < reply.count; ++i) out.records.push_back(copy_record(reply.records[i]));
  return out;
}

PolledBatch InstanceUnderTest::poll(std::string_view cursor) {
  if (!descriptor_->source) {
    PolledBatch none;
    none.code = YZ_E_UNSUPPORTED;
    none.message = "the plugin has no source capability";
    return none;
  }
  yz_batch batch{};
  yz_status st = descriptor_->source->poll(instance_, bytes(cursor), &batch);
  PolledBatch out;
  out.code = st.code;
  out.message = st.message;
  if (st.code != YZ_OK) return out;
  out.next_cursor = std::string(view(batch.next_cursor));
  out.has_more = batch.has_more != 0;
  for (uint32_t i = 0; i < batch.count; ++i) out.records.push_back(copy_record(batch.records[i]));
  return out;
}

Drained drain(InstanceUnderTest& instance, std::string cursor, int max_polls, int upstream_retries) {
  Drained d;
  d.cursor = std::move(cursor);
  int failures_in_a_row = 0;
  while (d.polls < max_polls) {
    ++d.polls;
    auto b = instance.poll(d.cursor);
    if (b.code == YZ_E_UPSTREAM && ++failures_in_a_row <= upstream_retries) continue;
    if (b.code != YZ_OK) throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    failures_in_a_row = 0;
    for (auto& r : b.records) d.records.push_back(std::move(r));
    d.cursor = b.next_cursor;
    if (b.records.empty() && !b.has_more) break;
  }
  return d;
}

}  // namespace yizhan::sdk::testkit
