// Driving one plugin instance through the C ABI, as the hub does.
#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/testkit.hpp>

#include <stdexcept>

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
  yz_status st = descriptor_->source->create(host::null_host_api(), bytes(instance_name),
                                             bytes(check.normalized_json), &instance_);
  if (st.code != YZ_OK) throw std::runtime_error(std::string("create failed: ") + st.message);
}

InstanceUnderTest::~InstanceUnderTest() {
  if (instance_) descriptor_->source->destroy(instance_);
}

PolledBatch InstanceUnderTest::poll(std::string_view cursor) {
  yz_batch batch{};
  yz_status st = descriptor_->source->poll(instance_, bytes(cursor), &batch);
  PolledBatch out;
  out.code = st.code;
  out.message = st.message;
  if (st.code != YZ_OK) return out;
  out.next_cursor = std::string(view(batch.next_cursor));
  out.has_more = batch.has_more != 0;
  for (uint32_t i = 0; i < batch.count; ++i) {
    const auto& r = batch.records[i];
    PolledRecord pr{std::string(view(r.external_id)), std::nullopt, std::string(view(r.raw)),
                    std::string(view(r.error))};
    if (pr.error.empty()) pr.mapped = case_record_from_json(view(r.case_json));
    out.records.push_back(std::move(pr));
  }
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
    if (b.code != YZ_OK)
      throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    failures_in_a_row = 0;
    for (auto& r : b.records) d.records.push_back(std::move(r));
    d.cursor = b.next_cursor;
    if (b.records.empty() && !b.has_more) break;
  }
  return d;
}

}  // namespace yizhan::sdk::testkit
