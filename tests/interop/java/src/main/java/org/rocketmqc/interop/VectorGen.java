/*
 * VectorGen: writes byte-exact protocol test vectors produced by the real Apache
 * RocketMQ classes (the version pinned in ../../../../../../pom.xml), for the C unit tests.
 *
 *   java ... org.rocketmqc.interop.VectorGen OUTPUT_DIR
 *
 * Frames (*.bin) are whole remoting frames: the 4-byte length, the serialize-type/header
 * length word, the header, then the body, exactly as Apache's Netty encoder puts them on
 * the wire (RemotingCommand.fastEncodeHeader followed by the body). Bodies (*.json,
 * *.bin) are what RemotingSerializable / fastjson produce for the named class. Every
 * value that Java would take from the clock or a counter is fixed, so the output is the
 * same on every run. OUTPUT_DIR/README.md lists each file with its meaning.
 */
package org.rocketmqc.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.InflaterInputStream;

import com.alibaba.fastjson.serializer.SerializerFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.UtilAll;
import org.apache.rocketmq.common.help.FAQUrl;
import org.apache.rocketmq.remoting.protocol.DataVersion;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.SerializeType;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.body.RegisterBrokerBody;
import org.apache.rocketmq.remoting.protocol.body.TopicConfigAndMappingSerializeWrapper;
import org.apache.rocketmq.remoting.protocol.body.TopicList;
import org.apache.rocketmq.remoting.protocol.header.namesrv.BrokerHeartbeatRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetKVConfigResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.GetRouteInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.namesrv.RegisterBrokerRequestHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.remoting.protocol.route.QueueData;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.protocol.statictopic.TopicQueueMappingInfo;

public final class VectorGen {
    /* Fixed "clock" values so that the vectors never change between runs. */
    private static final long T0 = 1700000000000L;

    private final Path dir;
    private final Map<String, String> index = new LinkedHashMap<>();

    private VectorGen(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: VectorGen OUTPUT_DIR");
            System.exit(2);
        }
        /* What the Java client, broker and NameServer all do at start-up: every command
         * they create carries the current version ordinal. */
        System.setProperty(RemotingCommand.REMOTING_VERSION_KEY, Integer.toString(MQVersion.CURRENT_VERSION));
        VectorGen g = new VectorGen(Paths.get(args[0]));
        Files.createDirectories(g.dir);
        g.frames();
        g.bodies();
        g.writeReadme();
        System.out.printf("VectorGen: wrote %d files to %s (RocketMQ %s, version ordinal %d)%n",
            g.index.size() + 1, g.dir, MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION),
            MQVersion.CURRENT_VERSION);
        System.exit(0);
    }

    /* ---------------------------------------------------------------- frames */

    private void frames() throws IOException {
        for (SerializeType type : new SerializeType[] {SerializeType.JSON, SerializeType.ROCKETMQ}) {
            String ext = type == SerializeType.JSON ? ".json.bin" : ".rocketmq.bin";
            String form = type == SerializeType.JSON ? "JSON header (serialize type 0)"
                : "ROCKETMQ binary header (serialize type 1)";

            /* GET_ROUTEINFO_BY_TOPIC request: opaque 0 (JSON) and 1 (ROCKETMQ) as in spec 1.2 / 2.6. */
            GetRouteInfoRequestHeader route = new GetRouteInfoRequestHeader();
            route.setTopic("TopicTest");
            RemotingCommand cmd = RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, route);
            cmd.setOpaque(type == SerializeType.JSON ? 0 : 1);
            frame("frame_get_route_request" + ext, cmd, type,
                "GET_ROUTEINFO_BY_TOPIC (105) request, " + form + ", extFields {topic=TopicTest}, opaque "
                    + cmd.getOpaque() + ", flag 0, no body.");

            /* The same with acceptStandardJsonOnly=true (Boolean header field, written "true"). */
            GetRouteInfoRequestHeader route2 = new GetRouteInfoRequestHeader();
            route2.setTopic("TopicTest");
            route2.setAcceptStandardJsonOnly(Boolean.TRUE);
            cmd = RemotingCommand.createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, route2);
            cmd.setOpaque(2);
            frame("frame_get_route_request_std" + ext, cmd, type,
                "GET_ROUTEINFO_BY_TOPIC (105) request, " + form
                    + ", extFields {topic=TopicTest, acceptStandardJsonOnly=true}, opaque 2.");

            /* REGISTER_BROKER request with a JSON RegisterBrokerBody, as a 5.3 master sends it. */
            byte[] body = registerBrokerBody().encode(false);
            cmd = RemotingCommand.createRequestCommand(RequestCode.REGISTER_BROKER, registerHeader(false, body));
            cmd.setOpaque(3);
            cmd.setBody(body);
            frame("frame_register_broker_request" + ext, cmd, type,
                "REGISTER_BROKER (103) request, " + form + ", opaque 3: header brokerName=broker-a, "
                    + "brokerAddr=127.0.0.1:10911, clusterName=DefaultCluster, haServerAddr=127.0.0.1:10912, "
                    + "brokerId=0, enableActingMaster=false, compressed=false, bodyCrc32=masked CRC32 of the body; "
                    + "body = register_broker_body.json.");

            /* Same registration with the compressed body and compressed=true (what a 4.9.8 broker
             * sends; 5.3 brokers wrongly send compressed=false, see spec 5.1.1). */
            byte[] zbody = registerBrokerBody().encode(true);
            cmd = RemotingCommand.createRequestCommand(RequestCode.REGISTER_BROKER, registerHeader(true, zbody));
            cmd.setOpaque(4);
            cmd.setBody(zbody);
            frame("frame_register_broker_compressed_request" + ext, cmd, type,
                "REGISTER_BROKER (103) request, " + form + ", opaque 4: as frame_register_broker_request but "
                    + "compressed=true and body = register_broker_body.compressed.bin (zlib).");

            /* A one-way request: BROKER_HEARTBEAT, flag 2. */
            BrokerHeartbeatRequestHeader hb = new BrokerHeartbeatRequestHeader();
            hb.setClusterName("DefaultCluster");
            hb.setBrokerAddr("127.0.0.1:10911");
            hb.setBrokerName("broker-a");
            hb.setBrokerId(0L);
            hb.setHeartbeatTimeoutMills(10000L);
            cmd = RemotingCommand.createRequestCommand(RequestCode.BROKER_HEARTBEAT, hb);
            cmd.setOpaque(5);
            cmd.markOnewayRPC();
            frame("frame_broker_heartbeat_oneway" + ext, cmd, type,
                "BROKER_HEARTBEAT (904) one-way request (flag 2), " + form + ", opaque 5, extFields "
                    + "clusterName, brokerAddr, brokerName, brokerId=0, heartbeatTimeoutMills=10000; no body.");

            /* A success response with a typed header, a remark (non-ASCII) and an extra ext field. */
            cmd = RemotingCommand.createResponseCommand(GetKVConfigResponseHeader.class);
            GetKVConfigResponseHeader kv = (GetKVConfigResponseHeader) cmd.readCustomHeader();
            kv.setValue("broker-a:8;broker-b:8");
            cmd.setCode(ResponseCode.SUCCESS);
            cmd.setRemark("caf\u00e9 \u2713 remark");
            cmd.addExtField("extraKey", "extra value");
            cmd.setOpaque(6);
            frame("frame_response_kv" + ext, cmd, type,
                "Response (flag 1) code 0 to GET_KV_CONFIG, " + form + ", opaque 6, remark \"caf\u00e9 \u2713 remark\" "
                    + "(UTF-8, 2- and 3-byte characters), extFields {value=broker-a:8;broker-b:8, extraKey=extra value}.");

            /* An error response as the NameServer sends it for an unknown topic: remark, no extFields. */
            cmd = RemotingCommand.createResponseCommand(ResponseCode.TOPIC_NOT_EXIST,
                "No topic route info in name server for the topic: NoSuchTopic"
                    + FAQUrl.suggestTodo(FAQUrl.APPLY_TOPIC_URL));
            cmd.setOpaque(7);
            frame("frame_response_topic_not_exist" + ext, cmd, type,
                "Response code 17 TOPIC_NOT_EXIST, " + form + ", opaque 7, the NameServer's remark, "
                    + "no extFields, no body.");

            /* A route response with the standard-JSON body a 5.x client gets. */
            cmd = RemotingCommand.createResponseCommand(ResponseCode.SUCCESS, null);
            cmd.setOpaque(8);
            cmd.setBody(standard(simpleRoute()));
            frame("frame_response_route" + ext, cmd, type,
                "Response code 0 to GET_ROUTEINFO_BY_TOPIC, " + form + ", opaque 8, no remark; "
                    + "body = topic_route_data.standard.json.");
        }
    }

    private static RegisterBrokerRequestHeader registerHeader(boolean compressed, byte[] body) {
        RegisterBrokerRequestHeader h = new RegisterBrokerRequestHeader();
        h.setBrokerAddr("127.0.0.1:10911");
        h.setBrokerId(0L);
        h.setBrokerName("broker-a");
        h.setClusterName("DefaultCluster");
        h.setHaServerAddr("127.0.0.1:10912");
        h.setEnableActingMaster(false);
        h.setCompressed(compressed);
        h.setBodyCrc32(UtilAll.crc32(body));
        return h;
    }

    private void frame(String name, RemotingCommand cmd, SerializeType type, String what) throws IOException {
        cmd.setSerializeTypeCurrentRPC(type);
        /* What NettyEncoder does. */
        ByteBuf buf = Unpooled.buffer();
        cmd.fastEncodeHeader(buf);
        if (cmd.getBody() != null) {
            buf.writeBytes(cmd.getBody());
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        write(name, bytes, what);
    }

    /* ---------------------------------------------------------------- bodies */

    private void bodies() throws IOException {
        DataVersion dv = dataVersion(5, 0, T0);
        write("data_version.json", dv.encode(),
            "DataVersion {counter, stateVersion, timestamp} (RemotingSerializable.encode).");

        TopicRouteData simple = simpleRoute();
        write("topic_route_data.legacy.json", simple.encode(),
            "TopicRouteData, legacy rendering (topicRouteData.encode(), requests with version < 401): "
                + "broker-a with ids 0 and 1, broker-b with id 0; numeric brokerAddrs keys unquoted.");
        write("topic_route_data.standard.json", standard(simple),
            "The same TopicRouteData, standard rendering (BrowserCompatible, QuoteFieldNames, "
                + "SkipTransientField, MapSortField: what the NameServer sends for version >= 401).");

        TopicRouteData full = fullRoute();
        write("topic_route_data_full.legacy.json", full.encode(),
            "TopicRouteData with every optional part: orderTopicConf, zoneName with non-ASCII text, "
                + "enableActingMaster, broker ids 0/2/10, filterServerTable entry, static-topic "
                + "topicQueueMappingByBroker with an Integer-keyed currIdMap; legacy rendering "
                + "(raw UTF-8, bare numeric keys).");
        write("topic_route_data_full.standard.json", standard(full),
            "The same, standard rendering (quoted numeric keys, keys sorted, non-ASCII as \\uXXXX).");

        ClusterInfo ci = new ClusterInfo();
        HashMap<String, BrokerData> brokers = new HashMap<>();
        for (BrokerData bd : simple.getBrokerDatas()) {
            brokers.put(bd.getBrokerName(), bd);
        }
        ci.setBrokerAddrTable(brokers);
        HashMap<String, Set<String>> clusters = new HashMap<>();
        clusters.put("DefaultCluster", new HashSet<>(List.of("broker-a", "broker-b")));
        clusters.put("OtherCluster", new HashSet<>());
        ci.setClusterAddrTable(clusters);
        write("cluster_info.json", ci.encode(),
            "ClusterInfo (GET_BROKER_CLUSTER_INFO body, always legacy): brokerAddrTable with the two "
                + "brokers of topic_route_data, clusterAddrTable DefaultCluster=[broker-a, broker-b], "
                + "OtherCluster=[].");

        KVTable kv = new KVTable();
        HashMap<String, String> table = new HashMap<>();
        table.put("TopicOrder", "broker-a:8;broker-b:8");
        table.put("key with space", "value \"quoted\" \\ and tab\t");
        table.put("unicode", "\u4e2d\u6587");
        kv.setTable(table);
        write("kv_table.json", kv.encode(),
            "KVTable (GET_KVLIST_BY_NAMESPACE body, REGISTER_BROKER response body): three entries, "
                + "including escapes (quote, backslash, tab) and raw UTF-8.");

        TopicList tl = new TopicList();
        tl.getTopicList().add("TopicTest");
        tl.getTopicList().add("TBW102");
        tl.getTopicList().add("%RETRY%group_a");
        write("topic_list.json", tl.encode(),
            "TopicList (GET_ALL_TOPIC_LIST_FROM_NAMESERVER body) with three topics, no brokerAddr.");
        TopicList sys = new TopicList();
        sys.getTopicList().add("DefaultCluster");
        sys.getTopicList().add("broker-a");
        sys.setBrokerAddr("127.0.0.1:10911");
        write("topic_list_system.json", sys.encode(),
            "TopicList as GET_SYSTEM_TOPIC_LIST_FROM_NS answers it: cluster and broker names plus brokerAddr.");

        RegisterBrokerBody rb = registerBrokerBody();
        write("register_broker_body.json", rb.encode(false),
            "RegisterBrokerBody, normal JSON form: TopicConfigAndMappingSerializeWrapper with dataVersion, "
                + "mappingDataVersion, topicConfigTable {TopicTest, TBW102, TopicOrdered (order=true, "
                + "attribute)}, empty mapping maps; filterServerList [].");
        byte[] z = rb.encode(true);
        write("register_broker_body.compressed.bin", z,
            "RegisterBrokerBody.encode(true): zlib stream (Deflater BEST_COMPRESSION). Compare after "
                + "inflating; the compressed bytes depend on the zlib build.");
        write("register_broker_body.inflated.bin", inflate(z),
            "register_broker_body.compressed.bin inflated: int32 len + DataVersion JSON, int32 topic count, "
                + "per topic int32 len + TopicConfig text form, int32 len + filter server JSON [], int32 "
                + "mapping count (0). All int32 big-endian.");
    }

    private static DataVersion dataVersion(long counter, long stateVersion, long timestamp) {
        DataVersion dv = new DataVersion();
        dv.setCounter(new AtomicLong(counter));
        dv.setStateVersion(stateVersion);
        dv.setTimestamp(timestamp);
        return dv;
    }

    private static BrokerData broker(String cluster, String name, boolean actingMaster, Object... idAddr) {
        HashMap<Long, String> addrs = new HashMap<>();
        for (int i = 0; i < idAddr.length; i += 2) {
            addrs.put(((Number) idAddr[i]).longValue(), (String) idAddr[i + 1]);
        }
        return new BrokerData(cluster, name, addrs, actingMaster);
    }

    private static QueueData queue(String broker, int read, int write, int perm, int sysFlag) {
        QueueData q = new QueueData();
        q.setBrokerName(broker);
        q.setReadQueueNums(read);
        q.setWriteQueueNums(write);
        q.setPerm(perm);
        q.setTopicSysFlag(sysFlag);
        return q;
    }

    private static TopicRouteData simpleRoute() {
        TopicRouteData r = new TopicRouteData();
        List<QueueData> qs = new ArrayList<>();
        qs.add(queue("broker-a", 4, 4, 6, 0));
        qs.add(queue("broker-b", 8, 8, 6, 0));
        r.setQueueDatas(qs);
        List<BrokerData> bs = new ArrayList<>();
        bs.add(broker("DefaultCluster", "broker-a", false, 0, "192.168.0.10:10911", 1, "192.168.0.11:10911"));
        bs.add(broker("DefaultCluster", "broker-b", false, 0, "192.168.0.12:10911"));
        r.setBrokerDatas(bs);
        return r;
    }

    private static TopicRouteData fullRoute() {
        TopicRouteData r = new TopicRouteData();
        r.setOrderTopicConf("broker-a:4;broker-b:8");
        List<QueueData> qs = new ArrayList<>();
        qs.add(queue("broker-a", 4, 4, 7, 1));
        qs.add(queue("broker-b", 8, 8, 4, 2));
        r.setQueueDatas(qs);
        List<BrokerData> bs = new ArrayList<>();
        BrokerData a = broker("DefaultCluster", "broker-a", true,
            10, "10.0.0.10:10911", 2, "10.0.0.2:10911", 0, "10.0.0.1:10911");
        a.setZoneName("zone-\u00e9\u4e2d");
        bs.add(a);
        bs.add(broker("DefaultCluster", "broker-b", false, 0, "10.0.0.3:10911"));
        r.setBrokerDatas(bs);
        HashMap<String, List<String>> fs = new HashMap<>();
        fs.put("10.0.0.1:10911", List.of("10.0.0.1:30000"));
        r.setFilterServerTable(fs);
        TopicQueueMappingInfo info = new TopicQueueMappingInfo("TopicStatic", 12, "broker-a", 7L);
        info.setScope("__global__");
        info.setDirty(false);
        ConcurrentMap<Integer, Integer> ids = new ConcurrentHashMap<>();
        ids.put(0, 0);
        ids.put(3, 1);
        ids.put(11, 2);
        info.setCurrIdMap(ids);
        Map<String, TopicQueueMappingInfo> mapping = new HashMap<>();
        mapping.put("broker-a", info);
        r.setTopicQueueMappingByBroker(mapping);
        return r;
    }

    /* The features the NameServer uses for requests with version >= V4_9_4 (spec 3.3). */
    private static byte[] standard(TopicRouteData r) {
        return r.encode(SerializerFeature.BrowserCompatible, SerializerFeature.QuoteFieldNames,
            SerializerFeature.SkipTransientField, SerializerFeature.MapSortField);
    }

    private static RegisterBrokerBody registerBrokerBody() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        TopicConfigAndMappingSerializeWrapper w = b.getTopicConfigSerializeWrapper();
        w.setDataVersion(dataVersion(5, 0, T0));
        w.setMappingDataVersion(dataVersion(0, 0, T0 + 1));
        ConcurrentMap<String, TopicConfig> topics = new ConcurrentHashMap<>();
        topics.put("TopicTest", new TopicConfig("TopicTest", 4, 4, 6));
        topics.put("TBW102", new TopicConfig("TBW102", 8, 8, 7));
        TopicConfig ordered = new TopicConfig("TopicOrdered", 2, 2, 6);
        ordered.setOrder(true);
        Map<String, String> attrs = new HashMap<>();
        attrs.put("message.type", "FIFO");
        ordered.setAttributes(attrs);
        topics.put("TopicOrdered", ordered);
        w.setTopicConfigTable(topics);
        return b;
    }

    private static byte[] inflate(byte[] z) throws IOException {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(z))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /* ---------------------------------------------------------------- output */

    private void write(String name, byte[] bytes, String what) throws IOException {
        Files.write(dir.resolve(name), bytes);
        /* zlib output differs between zlib builds: no size for it, so that the README stays
         * identical wherever it is regenerated (test_vectors_current.sh skips those files). */
        index.put(name, (name.contains("compressed") ? "" : bytes.length + " bytes. ") + what);
    }

    private void writeReadme() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Protocol test vectors\n\n");
        sb.append("Generated by `tests/interop/java` (`org.rocketmqc.interop.VectorGen`) with the Apache\n");
        sb.append("RocketMQ ").append(MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION))
            .append(" classes from Maven Central (version ordinal ")
            .append(MQVersion.CURRENT_VERSION).append("), fastjson 1.2.83. Do not edit by hand;\n");
        sb.append("regenerate with `tests/interop/gen-vectors.sh` (needs `scripts/install-java-deps.sh`).\n\n");
        sb.append("- `frame_*.bin`: complete remoting frames as Apache's Netty encoder writes them\n");
        sb.append("  (int32 length, int32 serialize type << 24 | header length, header, body), big-endian.\n");
        sb.append("  `.json.bin` = JSON header, `.rocketmq.bin` = ROCKETMQ binary header; both forms of a\n");
        sb.append("  pair describe the same command. Responses carry flag 1, one-way requests flag 2.\n");
        sb.append("- `*.json`: bodies exactly as fastjson renders them (no trailing newline). JSON key\n");
        sb.append("  order inside maps follows Java's HashMap iteration and is not significant to readers;\n");
        sb.append("  compare parsed values, or bytes when the C writer is meant to match exactly.\n");
        sb.append("- Every clock value is fixed (timestamps 1700000000000 and ...001) so the files are\n");
        sb.append("  stable across runs.\n\n");
        sb.append("| file | content |\n|---|---|\n");
        for (Map.Entry<String, String> e : index.entrySet()) {
            sb.append("| `").append(e.getKey()).append("` | ").append(e.getValue().replace("|", "\\|")).append(" |\n");
        }
        Files.write(dir.resolve("README.md"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
