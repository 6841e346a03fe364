// A plugin stamped with a future ABI major: the hub must refuse it, naming the file.
#include <yizhan/sdk/abi.h>

namespace {
yz_status create(const yz_host_api*, yz_bytes, yz_bytes, void**) { return yz_status{YZ_E_UNSUPPORTED, {}}; }
void destroy(void*) {}
yz_status poll(void*, yz_bytes, yz_batch*) { return yz_status{YZ_E_UNSUPPORTED, {}}; }
constexpr yz_source_vtable kSource{sizeof(yz_source_vtable), &create, &destroy, &poll, nullptr};
constinit const yz_plugin_descriptor kDescriptor{
    sizeof(yz_plugin_descriptor), YZ_ABI_MAJOR + 1, 0, "wrong_abi", "1.0.0", "Built for a future SDK",
    YZ_CAP_SOURCE, nullptr, 0, &kSource, nullptr, nullptr};
}  // namespace

extern "C" YZ_EXPORT const yz_plugin_descriptor* yizhan_plugin_entry_v1(const yz_host_api*) noexcept {
  return &kDescriptor;
}
