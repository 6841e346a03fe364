// Pins the binary layout of the plugin ABI (sdk/include/yizhan/sdk/abi.h).
//
// A plugin built against ABI 1.0 must load into every 1.x hub, so within a major
// version no member may move, shrink or change type, and new members go only at the
// end (with a minor bump). This test fails when a layout changes while the version
// in abi.h stays the same. When you change abi.h on purpose:
//   - appending a member: bump YZ_ABI_MINOR, keep every 1.0 pin below, and add the
//     new members and sizes in a block for the new minor;
//   - anything else: bump YZ_ABI_MAJOR and pin the new layout from scratch.
// The numbers are for LP64 targets (x86_64, aarch64), the platforms the hub ships on.
#include <gtest/gtest.h>
#include <yizhan/sdk/abi.h>

#include <cstddef>
#include <cstring>
#include <type_traits>

namespace {

#define EXPECT_MEMBER(T, member, offset, size)                                           \
  do {                                                                                   \
    EXPECT_EQ(offsetof(T, member), std::size_t{offset}) << "offset of " #T "::" #member; \
    EXPECT_EQ(sizeof(T::member), std::size_t{size}) << "size of " #T "::" #member;       \
  } while (0)

#define EXPECT_STRUCT(T, size, align)                                           \
  do {                                                                          \
    EXPECT_EQ(sizeof(T), std::size_t{size}) << "sizeof(" #T ")";                \
    EXPECT_EQ(alignof(T), std::size_t{align}) << "alignof(" #T ")";             \
    EXPECT_TRUE(std::is_standard_layout_v<T>) << #T " must stay a C struct";    \
    EXPECT_TRUE(std::is_trivially_copyable_v<T>) << #T " must stay a C struct"; \
  } while (0)

TEST(AbiLayout, PinnedForAnLp64Target) {
  ASSERT_EQ(sizeof(void*), 8u) << "the pins below are for LP64; add pins for this target";
  ASSERT_EQ(sizeof(std::size_t), 8u);
}

#if YZ_ABI_MAJOR == 1

// Members of ABI 1.0 keep their place and size for every 1.x.
TEST(AbiLayout, V1_0MembersNeverMove) {
  EXPECT_MEMBER(yz_bytes, data, 0, 8);
  EXPECT_MEMBER(yz_bytes, size, 8, 8);

  EXPECT_MEMBER(yz_status, code, 0, 4);
  EXPECT_MEMBER(yz_status, message, 4, 512);

  EXPECT_MEMBER(yz_host_api, struct_size, 0, 4);
  EXPECT_MEMBER(yz_host_api, abi_major, 4, 2);
  EXPECT_MEMBER(yz_host_api, abi_minor, 6, 2);
  EXPECT_MEMBER(yz_host_api, ctx, 8, 8);
  EXPECT_MEMBER(yz_host_api, log, 16, 8);

  EXPECT_MEMBER(yz_config_field, key, 0, 8);
  EXPECT_MEMBER(yz_config_field, type, 8, 4);
  EXPECT_MEMBER(yz_config_field, required, 12, 4);
  EXPECT_MEMBER(yz_config_field, default_value, 16, 8);
  EXPECT_MEMBER(yz_config_field, description, 24, 8);
  EXPECT_MEMBER(yz_config_field, min, 32, 8);
  EXPECT_MEMBER(yz_config_field, max, 40, 8);

  EXPECT_MEMBER(yz_record, external_id, 0, 16);
  EXPECT_MEMBER(yz_record, case_json, 16, 16);
  EXPECT_MEMBER(yz_record, raw, 32, 16);
  EXPECT_MEMBER(yz_record, error, 48, 16);

  EXPECT_MEMBER(yz_batch, records, 0, 8);
  EXPECT_MEMBER(yz_batch, count, 8, 4);
  EXPECT_MEMBER(yz_batch, has_more, 12, 4);
  EXPECT_MEMBER(yz_batch, next_cursor, 16, 16);

  EXPECT_MEMBER(yz_source_vtable, struct_size, 0, 4);
  EXPECT_MEMBER(yz_source_vtable, create, 8, 8);
  EXPECT_MEMBER(yz_source_vtable, destroy, 16, 8);
  EXPECT_MEMBER(yz_source_vtable, poll, 24, 8);
  EXPECT_MEMBER(yz_source_vtable, on_committed, 32, 8);

  EXPECT_MEMBER(yz_plugin_descriptor, struct_size, 0, 4);
  EXPECT_MEMBER(yz_plugin_descriptor, abi_major, 4, 2);
  EXPECT_MEMBER(yz_plugin_descriptor, abi_minor, 6, 2);
  EXPECT_MEMBER(yz_plugin_descriptor, name, 8, 8);
  EXPECT_MEMBER(yz_plugin_descriptor, version, 16, 8);
  EXPECT_MEMBER(yz_plugin_descriptor, description, 24, 8);
  EXPECT_MEMBER(yz_plugin_descriptor, capabilities, 32, 4);
  EXPECT_MEMBER(yz_plugin_descriptor, config, 40, 8);
  EXPECT_MEMBER(yz_plugin_descriptor, config_count, 48, 4);
  EXPECT_MEMBER(yz_plugin_descriptor, source, 56, 8);
}

// Values that cross the boundary as integers or names are part of the ABI too.
TEST(AbiLayout, V1_0ConstantsNeverChange) {
  EXPECT_STREQ(YZ_ENTRY_SYMBOL, "yizhan_plugin_entry_v1");

  EXPECT_EQ(YZ_OK, 0);
  EXPECT_EQ(YZ_E_INVALID_ARGUMENT, 1);
  EXPECT_EQ(YZ_E_CONFIG, 2);
  EXPECT_EQ(YZ_E_UPSTREAM, 3);
  EXPECT_EQ(YZ_E_CURSOR_INVALID, 4);
  EXPECT_EQ(YZ_E_INTERNAL, 5);
  EXPECT_EQ(YZ_E_UNSUPPORTED, 6);

  EXPECT_EQ(YZ_LOG_TRACE, 0);
  EXPECT_EQ(YZ_LOG_DEBUG, 1);
  EXPECT_EQ(YZ_LOG_INFO, 2);
  EXPECT_EQ(YZ_LOG_WARN, 3);
  EXPECT_EQ(YZ_LOG_ERROR, 4);

  EXPECT_EQ(YZ_CFG_STRING, 0);
  EXPECT_EQ(YZ_CFG_INT, 1);
  EXPECT_EQ(YZ_CFG_BOOL, 2);
  EXPECT_EQ(YZ_CFG_DOUBLE, 3);
  EXPECT_EQ(YZ_CFG_STRING_MAP, 4);
  EXPECT_EQ(YZ_CFG_STRING_LIST, 5);

  EXPECT_EQ(YZ_CAP_SOURCE, 0x1u);
}

// The entry point's signature: a plugin built against 1.0 is called through it.
TEST(AbiLayout, V1_0EntryPointSignature) {
  EXPECT_TRUE((std::is_same_v<yz_entry_fn, const yz_plugin_descriptor* (*)(const yz_host_api*)>));
  EXPECT_TRUE((std::is_same_v<decltype(yz_source_vtable::create),
                              yz_status (*)(const yz_host_api*, yz_bytes, yz_bytes, void**)>));
  EXPECT_TRUE((std::is_same_v<decltype(yz_source_vtable::destroy), void (*)(void*)>));
  EXPECT_TRUE((std::is_same_v<decltype(yz_source_vtable::poll), yz_status (*)(void*, yz_bytes, yz_batch*)>));
  EXPECT_TRUE((std::is_same_v<decltype(yz_source_vtable::on_committed), void (*)(void*, yz_bytes)>));
  EXPECT_TRUE((std::is_same_v<decltype(yz_host_api::log), void (*)(void*, int32_t, yz_bytes, yz_bytes)>));
}

// ABI 1.1 appended the push capability: new structs, and one member at the end of
// the descriptor. A 1.0 plugin's descriptor (64 bytes) ends before it.
TEST(AbiLayout, V1_1PushMembers) {
  EXPECT_EQ(YZ_CAP_PUSH, 0x2u);
  EXPECT_MEMBER(yz_plugin_descriptor, push, 64, 8);

  EXPECT_MEMBER(yz_header, name, 0, 16);
  EXPECT_MEMBER(yz_header, value, 16, 16);

  EXPECT_MEMBER(yz_push_request, struct_size, 0, 4);
  EXPECT_MEMBER(yz_push_request, method, 8, 16);
  EXPECT_MEMBER(yz_push_request, target, 24, 16);
  EXPECT_MEMBER(yz_push_request, headers, 40, 8);
  EXPECT_MEMBER(yz_push_request, header_count, 48, 4);
  EXPECT_MEMBER(yz_push_request, body, 56, 16);

  EXPECT_MEMBER(yz_push_reply, http_status, 0, 4);
  EXPECT_MEMBER(yz_push_reply, content_type, 8, 16);
  EXPECT_MEMBER(yz_push_reply, body, 24, 16);
  EXPECT_MEMBER(yz_push_reply, records, 40, 8);
  EXPECT_MEMBER(yz_push_reply, count, 48, 4);

  EXPECT_MEMBER(yz_push_vtable, struct_size, 0, 4);
  EXPECT_MEMBER(yz_push_vtable, create, 8, 8);
  EXPECT_MEMBER(yz_push_vtable, destroy, 16, 8);
  EXPECT_MEMBER(yz_push_vtable, on_push, 24, 8);
  EXPECT_TRUE((
      std::is_same_v<decltype(yz_push_vtable::on_push), yz_status (*)(void*, const yz_push_request*, yz_push_reply*)>));
}

// ABI 1.2 appended the sink capability (write-back): new structs, one member at the
// end of the descriptor. A 1.1 plugin's descriptor (72 bytes) ends before it.
TEST(AbiLayout, V1_2SinkMembers) {
  EXPECT_EQ(YZ_CAP_SINK, 0x4u);
  EXPECT_MEMBER(yz_plugin_descriptor, sink, 72, 8);

  EXPECT_MEMBER(yz_delivery, struct_size, 0, 4);
  EXPECT_MEMBER(yz_delivery, delivery_id, 8, 16);
  EXPECT_MEMBER(yz_delivery, kind, 24, 16);
  EXPECT_MEMBER(yz_delivery, external_id, 40, 16);
  EXPECT_MEMBER(yz_delivery, payload_json, 56, 16);

  EXPECT_MEMBER(yz_sink_vtable, struct_size, 0, 4);
  EXPECT_MEMBER(yz_sink_vtable, create, 8, 8);
  EXPECT_MEMBER(yz_sink_vtable, destroy, 16, 8);
  EXPECT_MEMBER(yz_sink_vtable, deliver, 24, 8);
  EXPECT_TRUE((std::is_same_v<decltype(yz_sink_vtable::deliver), yz_status (*)(void*, const yz_delivery*)>));
}

#if YZ_ABI_MINOR == 2
// Whole-struct sizes: a member appended without bumping YZ_ABI_MINOR fails here.
TEST(AbiLayout, V1_2StructSizes) {
  EXPECT_STRUCT(yz_bytes, 16, 8);
  EXPECT_STRUCT(yz_status, 516, 4);
  EXPECT_STRUCT(yz_host_api, 24, 8);
  EXPECT_STRUCT(yz_config_field, 48, 8);
  EXPECT_STRUCT(yz_record, 64, 8);
  EXPECT_STRUCT(yz_batch, 32, 8);
  EXPECT_STRUCT(yz_source_vtable, 40, 8);
  EXPECT_STRUCT(yz_plugin_descriptor, 80, 8);  // 64 in 1.0, 72 in 1.1
  EXPECT_STRUCT(yz_header, 32, 8);
  EXPECT_STRUCT(yz_push_request, 72, 8);
  EXPECT_STRUCT(yz_push_reply, 56, 8);
  EXPECT_STRUCT(yz_push_vtable, 32, 8);
  EXPECT_STRUCT(yz_delivery, 72, 8);
  EXPECT_STRUCT(yz_sink_vtable, 32, 8);
}
#else
TEST(AbiLayout, NewMinorVersionIsPinned) {
  FAIL() << "abi.h says ABI 1." << YZ_ABI_MINOR
         << ": pin the appended members and the new struct sizes in abi_layout_test.cpp";
}
#endif

#else
TEST(AbiLayout, NewMajorVersionIsPinned) {
  FAIL() << "abi.h says ABI " << YZ_ABI_MAJOR << "." << YZ_ABI_MINOR
         << ": pin the new layout in abi_layout_test.cpp (the 1.0 pins no longer apply)";
}
#endif

}  // namespace
