// The daemons print JSON from lite messages through the embedded schema.
// The expected texts are what protobuf's full runtime (MessageToJsonString,
// whitespace, primitive fields, proto field names) printed for the same
// messages before vigil moved to the lite runtime, except that map entries
// are now sorted by key.
#include "proto/proto_json.h"

#include <gtest/gtest.h>

#include "proto/control.pb.h"
#include "proto/ipc.pb.h"

namespace vigil::proto_schema {
namespace {

TEST(ProtoJson, PrintsAsProtobufsJsonMappingDid) {
  ipc::Dump dump;
  control::InstanceStatus* one = dump.mutable_status()->add_instances();
  one->set_name("VI_1");
  one->set_state("MASTER");
  one->set_base_priority(100);
  one->add_vips("192.0.2.1");
  one->add_vips("x\"y\n");
  one->set_seconds_in_state(12.3456789);
  control::TrackerStatus* tracker = one->add_trackers();
  tracker->set_kind("script");
  tracker->set_contribution(-10);
  dump.mutable_status()->add_instances()->set_name("VI_2");
  control::Stats* stats = dump.mutable_stats();
  stats->add_instances()->set_adverts_sent(12345678901234u);
  (*stats->mutable_drops())["ttl"] = 3;
  (*stats->mutable_drops())["auth"] = 5;
  EXPECT_EQ(ToJson(dump), R"({
 "status": {
  "instances": [
   {
    "name": "VI_1",
    "state": "MASTER",
    "base_priority": 100,
    "effective_priority": 0,
    "trackers": [
     {
      "kind": "script",
      "name": "",
      "state": "",
      "contribution": -10,
      "fault": false
     }
    ],
    "demoted": false,
    "vips": [
     "192.0.2.1",
     "x\"y\n"
    ],
    "interface": "",
    "version": 0,
    "master_address": "",
    "seconds_in_state": 12.3456789,
    "advert_interval_ms": 0,
    "sync_group": ""
   },
   {
    "name": "VI_2",
    "state": "",
    "base_priority": 0,
    "effective_priority": 0,
    "trackers": [],
    "demoted": false,
    "vips": [],
    "interface": "",
    "version": 0,
    "master_address": "",
    "seconds_in_state": 0,
    "advert_interval_ms": 0,
    "sync_group": ""
   }
  ]
 },
 "stats": {
  "instances": [
   {
    "name": "",
    "adverts_sent": "12345678901234",
    "adverts_received": "0",
    "priority_zero_sent": "0",
    "priority_zero_received": "0",
    "transitions": "0",
    "became_master": "0"
   }
  ],
  "drops": {
   "auth": "5",
   "ttl": "3"
  },
  "checksum_forms": {},
  "address_list_mismatches": "0",
  "interval_mismatches": "0"
 }
}
)");
}

TEST(ProtoJson, SixtyFourBitIntegersAreStringsAndUnsetMessagesAbsent) {
  control::Transition transition;
  transition.set_seq(7);
  transition.set_unix_time_ms(-5);
  transition.set_instance("A");
  EXPECT_EQ(ToJson(transition), R"({
 "seq": "7",
 "instance": "A",
 "from": "",
 "to": "",
 "reason": "",
 "priority": 0,
 "unix_time_ms": "-5"
}
)");
  EXPECT_EQ(ToJson(ipc::Dump()), "{}\n");
}

TEST(ProtoJson, DoublesPrintShortestAndOneofsOnlyWhenSet) {
  control::Response response;
  response.mutable_status()->add_instances()->set_seconds_in_state(1e21);
  std::string json = ToJson(response);
  EXPECT_NE(json.find("\"seconds_in_state\": 1e+21"), std::string::npos);
  EXPECT_EQ(json.find("\"error\""), std::string::npos);  // other oneof members
  response.Clear();
  response.set_error("");  // set, though empty: printed
  EXPECT_EQ(ToJson(response), "{\n \"error\": \"\"\n}\n");
}

TEST(ProtoJson, StyleForConfigsPrintsEveryFieldWithItsOwnText) {
  config::Config config;
  config::VrrpInstance* instance = config.add_instances();
  instance->set_name("VI_1");
  JsonStyle style;
  style.indent = 2;
  style.every_field = true;
  style.quote_64bit = false;
  style.text = [](const Field& field, absl::string_view value) {
    return field.name == "name" ? "<" + std::string(value) + ">"
                                : std::string(value);
  };
  std::string json = ToJson(config, style);
  EXPECT_NE(json.find("\n    {\n      \"name\": \"<VI_1>\",\n"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\n  \"global\": {\n"), std::string::npos)  // unset
      << json;
}

TEST(ProtoJson, BadInputIsAnErrorNotACrash) {
  EXPECT_FALSE(EncodedToJson("vigil.control.Status",
                             "\x0a\x05"
                             "ab",
                             {})
                   .ok());
  EXPECT_FALSE(EncodedToJson("vigil.control.Status", "\x08\x01", {}).ok())
      << "a number where a message belongs";
  EXPECT_EQ(EncodedToJson("vigil.nothing", "", {}).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Schema, KnowsVigilsMessagesMapsAndEnums) {
  const Schema& schema = Schema::Vigil();
  const Message* stats = schema.FindMessage("vigil.control.Stats");
  ASSERT_NE(stats, nullptr);
  const Field* drops = stats->Find("drops");
  ASSERT_NE(drops, nullptr);
  EXPECT_TRUE(drops->repeated);
  const Message* entry = schema.FindMessage(drops->type_name);
  ASSERT_NE(entry, nullptr);
  EXPECT_TRUE(entry->map_entry);
  const Message* response = schema.FindMessage("vigil.control.Response");
  ASSERT_NE(response, nullptr);
  EXPECT_TRUE(response->Find("error")->has_presence);  // oneof member
  EXPECT_FALSE(stats->Find("interval_mismatches")->has_presence);
  EXPECT_EQ(schema.EnumValueName("vigil.ipc.InstanceState.State", 2),
            ipc::InstanceState::State_Name(ipc::InstanceState::State(2)));
}

}  // namespace
}  // namespace vigil::proto_schema
