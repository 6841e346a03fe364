// Reading a list reply: raw records byte for byte, and the envelope's failures as upstream errors.
#include "page_reader.hpp"

#include <gtest/gtest.h>

#include <yizhan/sdk/plugin.hpp>

namespace {
using namespace yizhan::plugins::hotline12345;

TEST(Hotline12345PageReader, SplitsTheListIntoRawRecordsByteForByte) {
  std::string first = R"({"id":1,"bt":"括号 ] } [ { 和 \"引号\" 与 \\","kzzd":"{\"a\":[1,2]}"})";
  std::string second = "{ \"id\" : 2 , \"dz\" : \"\xE5\x99\" , \"n\" : [ {}, [] ] }";
  std::string body = R"({"code":0,"msg":"success","data":{"total":2,"other":{"list":[9]},"list":[ )" + first +
                     " ,\n  " + second +
                     R"( ],"next":{"updated_after":"2026-03-01 09:12:33","after_id":2}}})";
  Page page = read_page(body);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0], first);
  EXPECT_EQ(page.items[1], second);
  EXPECT_EQ(page.total, 2);
  ASSERT_TRUE(page.next.has_value());
  EXPECT_EQ(page.next->after_id, 2u);
  EXPECT_EQ(page.next->updated_after->text, "2026-03-01 09:12:33");
}

TEST(Hotline12345PageReader, LastPageHasNoNext) {
  Page page = read_page(R"({"code":0,"msg":"success","data":{"total":0,"list":[],"next":null}})");
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.next.has_value());
  EXPECT_TRUE(read_page(R"({"code":"0","msg":"success","data":null})").items.empty());
}

TEST(Hotline12345PageReader, ErrorRepliesAreUpstreamErrors) {
  for (const char* body :
       {R"({"code":-1,"msg":"系统繁忙，请稍后再试","data":null})", R"({"code":500,"msg":"服务器内部错误"})",
        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", R"({"msg":"no code"})",
        R"({"code":0,"data":{"list":{"not":"an array"}}})", R"({"code":0,"data":{"list":[],"next":{"x":1}}})",
        ""}) {
    EXPECT_THROW(read_page(body), yizhan::sdk::UpstreamError) << body;
  }
  try {
    read_page(R"({"code":-1,"msg":"系统繁忙，请稍后再试","data":null})");
  } catch (const yizhan::sdk::UpstreamError& e) {
    EXPECT_NE(std::string(e.what()).find("系统繁忙"), std::string::npos) << e.what();
  }
}

}  // namespace
