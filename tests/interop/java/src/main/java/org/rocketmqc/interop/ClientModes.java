/*
 * ClientModes: every way the official Java remoting client sends and consumes, checked
 * message by message against what was sent.
 *
 *   java ... org.rocketmqc.interop.ClientModes NAMESRV TOPIC TIMEOUT_SEC PHASES [--vip] [--hold FILE]
 *
 * PHASES is a comma-separated list of:
 *   push        a DefaultMQPushConsumer (fresh group, CONSUME_FROM_FIRST_OFFSET)
 *   broadcast   two push consumers in one group with MessageModel.BROADCASTING
 *   lps         DefaultLitePullConsumer, subscribe mode with auto commit: the committed
 *               offsets become the queues' ends, and after shutdown (which persists
 *               them) the broker reports them for the group
 *   lpa         DefaultLitePullConsumer, assign mode: assign every queue, seek to 0,
 *               poll all, seek back within one queue and re-read its tail, commitSync();
 *               the committed offsets are the queues' ends; commitSync(offsets, true)
 *               and the broker reports them for the group
 * Sending always comes first: a DefaultMQProducer sends one fixed set of messages
 * synchronously, asynchronously (callback), one way and as a batch (send(Collection)).
 * They carry several keys, tags (one CJK), user properties (non-ASCII values too) and
 * bodies from 1 byte to ~1 MiB, among them compressible bodies over the client's 4 KiB
 * compression threshold. Every message a consumer receives must match what was sent,
 * byte for byte: body, topic, tags, keys, user properties, whether the broker stored the
 * body compressed (its body CRC), the msgId/UNIQ_KEY the producer got back (oneway: the
 * one the client stamped on the message), and for sync, async and batch sends also the
 * offset message id, queue id and queue offset of the SendResult. Batch members from a
 * 5.x client are the exception for msgId (see BATCH_ID_SHARED). A consumer must see
 * every message; the lite-pull consumers exactly once.
 *
 * --vip sets vipChannelEnabled on every client (sends and offset calls then use the
 * broker's fast port, listenPort - 2). --hold FILE: when all phases passed, print
 * "ClientModes: holding" and keep every client (and so its connections) open until FILE
 * exists, so that the calling script can look at the sockets.
 *
 * Only API that the 4.9.x and 5.x clients share is used (MessageModel moved package
 * between them and is reached by reflection): the tests/interop/java49 project compiles
 * this same file against the 4.9 client.
 *
 * Output: "ClientModes: phase=... result=..." per phase, at most 20 mismatch lines per
 * phase, then "ClientModes: result=PASS|FAIL ...". Exit 0 on success, 1 on failure,
 * 2 on bad arguments; a watchdog halts the JVM after TIMEOUT_SEC.
 */
package org.rocketmqc.interop;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.zip.CRC32;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

public final class ClientModes {
    /** The producer's default compressMsgBodyOverHowmuch (both 4.9 and 5.x). */
    private static final int COMPRESS_OVER = 4096;
    private static final String ID_PROP = "rmqc_id";
    private static final int MAX_REPORTED = 20;
    /** Clients since 5.0.0 give a batch a UNIQ_KEY of its own in the request header
        (DefaultMQProducer.batch()), and the broker appends the header's properties to every
        member's (Apache's MessageExtEncoder; ours does the same): readers then see the
        batch's UNIQ_KEY on every member, not the member's from the SendResult. Older clients
        send no batch UNIQ_KEY, so members keep their own. */
    private static final boolean BATCH_ID_SHARED =
        MQVersion.CURRENT_VERSION >= MQVersion.Version.V5_0_0.ordinal();

    /** One message as sent, and what the send told us about it. */
    private static final class Expect {
        int idx;
        String mode;
        String tags;
        String keys;
        Map<String, String> props = new LinkedHashMap<>();
        byte[] body;
        boolean compressed;
        String msgId;           /* UNIQ_KEY */
        String offsetMsgId;     /* null: unknown (oneway) */
        int queueId = -1;       /* -1: unknown (oneway) */
        long queueOffset = -1;
        Message msg;

        String describe() {
            return "#" + idx + " (" + mode + ", " + body.length + " bytes)";
        }
    }

    /** What one consumer saw. */
    private static final class Tracker {
        final String name;
        final AtomicIntegerArray seen;
        final CountDownLatch all;
        final List<String> problems = new ArrayList<>();
        int problemCount;
        int duplicates;
        /** queue id -> next offset after the highest one received */
        final Map<Integer, Long> queueEnds = new TreeMap<>();
        /** queue id -> (offset -> message index) */
        final Map<Integer, TreeMap<Long, Integer>> byQueue = new TreeMap<>();
        /* "batch" -> the UNIQ_KEY the first batch member came with, "cluster" -> the first
           message's CLUSTER property */
        final Map<String, String> batchUniq = new ConcurrentHashMap<>();

        Tracker(String name, int count) {
            this.name = name;
            this.seen = new AtomicIntegerArray(count);
            this.all = new CountDownLatch(count);
        }

        synchronized void problem(String s) {
            problemCount++;
            if (problems.size() < MAX_REPORTED) {
                problems.add(s);
                System.err.println("ClientModes: " + name + ": " + s);
            }
        }

        synchronized void noteQueue(int qid, long off, int idx) {
            Long end = queueEnds.get(qid);
            if (end == null || end < off + 1) {
                queueEnds.put(qid, off + 1);
            }
            byQueue.computeIfAbsent(qid, k -> new TreeMap<>()).put(off, idx);
        }

        int missing() {
            int n = 0;
            for (int i = 0; i < seen.length(); i++) {
                if (seen.get(i) == 0) {
                    n++;
                }
            }
            return n;
        }

        String firstMissing() {
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < seen.length() && l.size() < MAX_REPORTED; i++) {
                if (seen.get(i) == 0) {
                    l.add(i);
                }
            }
            return l.toString();
        }
    }

    private final String namesrv;
    private final String topic;
    private final boolean vip;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final long deadline;
    private final List<Expect> expects = new ArrayList<>();
    private final List<Object> clients = new ArrayList<>();

    private ClientModes(String namesrv, String topic, boolean vip, long deadline) {
        this.namesrv = namesrv;
        this.topic = topic;
        this.vip = vip;
        this.deadline = deadline;
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Throwable t) {
            Harness.dieOf("ClientModes", t);
        }
    }

    private static int run(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: ClientModes NAMESRV TOPIC TIMEOUT_SEC PHASES [--vip] [--hold FILE]");
            return 2;
        }
        boolean vip = false;
        String hold = null;
        for (int i = 4; i < args.length; i++) {
            if (args[i].equals("--vip")) {
                vip = true;
            } else if (args[i].equals("--hold") && i + 1 < args.length) {
                hold = args[++i];
            } else {
                System.err.println("ClientModes: unknown argument " + args[i]);
                return 2;
            }
        }
        final int timeoutSec = Integer.parseInt(args[2]);
        final long start = System.nanoTime();
        Harness.startWatchdogLine(timeoutSec,
            () -> "ClientModes: result=FAIL(timeout after " + timeoutSec + " s)");
        ClientModes cm = new ClientModes(args[0], args[1], vip,
            start + TimeUnit.SECONDS.toNanos(timeoutSec) - TimeUnit.SECONDS.toNanos(2));
        System.out.println("ClientModes: client " + MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION)
            + " vipChannelEnabled=" + vip + " run=" + cm.run);

        List<String> failed = new ArrayList<>();
        String sendFailure = cm.send();
        if (sendFailure != null) {
            failed.add("send: " + sendFailure);
        } else {
            for (String phase : args[3].split(",")) {
                long t0 = System.nanoTime();
                String why;
                switch (phase) {
                    case "push":
                        why = cm.phasePush();
                        break;
                    case "broadcast":
                        why = cm.phaseBroadcast();
                        break;
                    case "lps":
                        why = cm.phaseLitePullSubscribe();
                        break;
                    case "lpa":
                        why = cm.phaseLitePullAssign();
                        break;
                    default:
                        System.err.println("ClientModes: unknown phase " + phase);
                        return 2;
                }
                System.out.printf("ClientModes: phase=%s result=%s ms=%d%n", phase,
                    why == null ? "PASS" : "FAIL(" + why + ")", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                if (why != null) {
                    failed.add(phase + ": " + why);
                }
            }
        }
        if (hold != null && failed.isEmpty()) {
            System.out.println("ClientModes: holding");
            System.out.flush();
            File f = new File(hold);
            while (!f.exists() && System.nanoTime() < cm.deadline) {
                Thread.sleep(50);
            }
        }
        boolean ok = failed.isEmpty();
        System.out.printf("ClientModes: result=%s messages=%d total_ms=%d%s%n", ok ? "PASS" : "FAIL",
            cm.expects.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
            ok ? "" : " failed=" + failed);
        System.out.flush();
        /* Not shutdown(): the clients' shutdown hooks and thread pools add seconds. */
        Runtime.getRuntime().halt(ok ? 0 : 1);
        return 0;
    }

    // ------------------------------------------------------------------ the message set

    private Expect expect(String mode, int size, boolean compressible, String tags, String[] keys,
        String[][] props) {
        Expect e = new Expect();
        e.idx = expects.size();
        e.mode = mode;
        e.tags = tags;
        e.keys = String.join(" ", keys);
        e.body = body(e.idx, size, compressible);
        e.compressed = !mode.equals("batch") && size >= COMPRESS_OVER;
        e.props.put(ID_PROP, run + ":" + e.idx);
        e.props.put("rmqc_mode", mode);
        for (String[] kv : props) {
            e.props.put(kv[0], kv[1]);
        }
        Message m = new Message(topic, tags, e.body.clone());
        m.setKeys(Arrays.asList(keys));
        for (Map.Entry<String, String> p : e.props.entrySet()) {
            m.putUserProperty(p.getKey(), p.getValue());
        }
        e.msg = m;
        expects.add(e);
        return e;
    }

    private byte[] body(int idx, int size, boolean compressible) {
        byte[] b = new byte[size];
        if (compressible) {
            byte[] line = ("rocketmq-c compressible body " + run + " #" + idx + " 0123456789 abcdef\n")
                .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < size; i++) {
                b[i] = line[i % line.length];
            }
        } else {
            new Random(run.hashCode() * 31L + idx).nextBytes(b);
        }
        return b;
    }

    private static String[] keys(String... k) {
        return k;
    }

    private static final String[][] NO_PROPS = {};

    /** Builds the message set and sends it in all four modes. Returns null or why it failed. */
    private String send() throws Exception {
        String[][] rich = {{"p_ascii", "plain value"}, {"p_cjk", "中文的值"},
            {"p_mixed", "é ü ß ✓ 😀 a=b;c:d"}, {"p_spaces", " two  spaces\ttab "}};
        String[][] one = {{"p_cjk", "値・テスト"}};
        String k = run + "-";
        List<Expect> sync = new ArrayList<>();
        sync.add(expect("sync", 1, false, "TagA", keys(k + "s0"), NO_PROPS));
        sync.add(expect("sync", 200, false, "TagB", keys(k + "s1a", k + "s1b", k + "s1c"), rich));
        sync.add(expect("sync", COMPRESS_OVER - 1, true, "TagA", keys(k + "s2"), one));
        sync.add(expect("sync", COMPRESS_OVER, true, "TagB", keys(k + "s3a", k + "s3b"), rich));
        sync.add(expect("sync", 64 * 1024 + 7, true, "标签", keys(k + "s4a", k + "s4b"), one));
        sync.add(expect("sync", 1024 * 1024 - 100, false, "TagBig", keys(k + "s5"), rich));
        List<Expect> async = new ArrayList<>();
        async.add(expect("async", 10, false, "TagA", keys(k + "a0a", k + "a0b"), rich));
        async.add(expect("async", 1000, false, "TagB", keys(k + "a1"), one));
        async.add(expect("async", 5000, true, "TagA", keys(k + "a2a", k + "a2b", k + "a2c"), rich));
        async.add(expect("async", 20000, false, "标签", keys(k + "a3"), NO_PROPS));
        async.add(expect("async", 300 * 1024, true, "TagB", keys(k + "a4"), one));
        List<Expect> oneway = new ArrayList<>();
        oneway.add(expect("oneway", 30, false, "TagA", keys(k + "o0a", k + "o0b"), rich));
        oneway.add(expect("oneway", 3000, false, "TagB", keys(k + "o1"), one));
        oneway.add(expect("oneway", 8192, true, "标签", keys(k + "o2"), rich));
        oneway.add(expect("oneway", 100 * 1024, false, "TagA", keys(k + "o3a", k + "o3b"), NO_PROPS));
        List<Expect> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(expect("batch", 16 + i * 700, i % 2 == 0, i % 3 == 0 ? "标签" : "TagBatch",
                keys(k + "b" + i + "a", k + "b" + i + "b"), i % 2 == 0 ? rich : one));
        }

        DefaultMQProducer producer = new DefaultMQProducer("rmqc_cm_producer_" + run);
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("rmqc_cm_p_" + run);
        producer.setVipChannelEnabled(vip);
        producer.setSendMsgTimeout(15000);
        producer.setRetryTimesWhenSendFailed(0);
        producer.setRetryTimesWhenSendAsyncFailed(0);
        producer.start();
        clients.add(producer);

        for (Expect e : sync) {
            SendResult r = producer.send(e.msg);
            String why = record(e, r);
            if (why != null) {
                return "sync " + e.describe() + ": " + why;
            }
        }

        final Map<Integer, Object> asyncResults = new ConcurrentHashMap<>();
        final CountDownLatch asyncDone = new CountDownLatch(async.size());
        for (final Expect e : async) {
            producer.send(e.msg, new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    asyncResults.put(e.idx, r);
                    asyncDone.countDown();
                }

                @Override
                public void onException(Throwable t) {
                    asyncResults.put(e.idx, t);
                    asyncDone.countDown();
                }
            }, 15000);
        }
        if (!asyncDone.await(20, TimeUnit.SECONDS)) {
            return "async: " + asyncDone.getCount() + " callbacks never came";
        }
        for (Expect e : async) {
            Object r = asyncResults.get(e.idx);
            if (r instanceof Throwable) {
                return "async " + e.describe() + ": callback onException " + r;
            }
            String why = record(e, (SendResult) r);
            if (why != null) {
                return "async " + e.describe() + ": " + why;
            }
        }

        for (Expect e : oneway) {
            producer.sendOneway(e.msg);
            /* The client stamps the unique id on the message it sends. */
            e.msgId = MessageClientIDSetter.getUniqID(e.msg);
            if (e.msgId == null) {
                return "oneway " + e.describe() + ": the client stamped no UNIQ_KEY";
            }
        }

        List<Message> msgs = new ArrayList<>();
        for (Expect e : batch) {
            msgs.add(e.msg);
        }
        SendResult br = producer.send(msgs);
        if (br.getSendStatus() != SendStatus.SEND_OK) {
            return "batch: status " + br.getSendStatus();
        }
        String[] ids = br.getMsgId() == null ? new String[0] : br.getMsgId().split(",");
        String[] offIds = br.getOffsetMsgId() == null ? new String[0] : br.getOffsetMsgId().split(",");
        if (ids.length != batch.size() || offIds.length != batch.size()) {
            return "batch: SendResult has " + ids.length + " msgIds and " + offIds.length
                + " offsetMsgIds for " + batch.size() + " messages: " + br;
        }
        for (int i = 0; i < batch.size(); i++) {
            Expect e = batch.get(i);
            e.msgId = ids[i];
            e.offsetMsgId = offIds[i];
            e.queueId = br.getMessageQueue().getQueueId();
            e.queueOffset = br.getQueueOffset() + i;
            String stamped = MessageClientIDSetter.getUniqID(e.msg);
            if (!ids[i].equals(stamped)) {
                return "batch " + e.describe() + ": SendResult msgId " + ids[i]
                    + " is not the UNIQ_KEY the client gave the message (" + stamped + ")";
            }
        }
        /* Oneway sends may still be in flight: a sync send on the same connection after them
           is answered only once they were read. */
        SendResult fence = producer.send(expect("sync", 64, false, "TagFence", keys(k + "fence"), NO_PROPS).msg);
        String why = record(expects.get(expects.size() - 1), fence);
        if (why != null) {
            return "sync (fence) " + expects.get(expects.size() - 1).describe() + ": " + why;
        }
        System.out.printf("ClientModes: sent %d messages (sync %d, async %d, oneway %d, batch %d)%n",
            expects.size(), sync.size() + 1, async.size(), oneway.size(), batch.size());
        return waitForRoute();
    }

    /** The first send auto-created the topic; the broker registers it with the NameServer
        soon after. A consumer that starts before that finds no route and waits for its next
        rebalance (20 s): wait for the route instead. */
    @SuppressWarnings("deprecation")
    private String waitForRoute() throws Exception {
        DefaultMQPullConsumer probe = new DefaultMQPullConsumer("rmqc_cm_route_" + run);
        probe.setNamesrvAddr(namesrv);
        probe.setInstanceName("rmqc_cm_route_" + run);
        probe.start();
        clients.add(probe);
        long t0 = System.nanoTime();
        long until = Math.min(deadline, t0 + TimeUnit.SECONDS.toNanos(10));
        String last = "";
        do {
            try {
                if (!probe.fetchSubscribeMessageQueues(topic).isEmpty()) {
                    System.out.printf("ClientModes: route of %s at the NameServer after %d ms%n", topic,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    return null;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < until);
        return "the NameServer has no route for " + topic + " 10 s after the first send: " + last;
    }

    private static String record(Expect e, SendResult r) {
        if (r.getSendStatus() != SendStatus.SEND_OK) {
            return "status " + r.getSendStatus();
        }
        e.msgId = r.getMsgId();
        e.offsetMsgId = r.getOffsetMsgId();
        e.queueId = r.getMessageQueue().getQueueId();
        e.queueOffset = r.getQueueOffset();
        String stamped = MessageClientIDSetter.getUniqID(e.msg);
        if (e.msgId == null || !e.msgId.equals(stamped)) {
            return "SendResult msgId " + e.msgId + " is not the message's UNIQ_KEY " + stamped;
        }
        if (e.offsetMsgId == null || e.offsetMsgId.length() != 32) {
            return "SendResult offsetMsgId " + e.offsetMsgId + " is not 16 bytes in hex";
        }
        return null;
    }

    // ------------------------------------------------------------------ checking

    /** Checks one received message against the message set; records it in t. */
    private void check(Tracker t, MessageExt m) {
        String id = m.getProperty(ID_PROP);
        if (id == null || !id.startsWith(run + ":")) {
            t.problem("unexpected message " + m.getMsgId() + " (rmqc_id=" + id + ") in queue "
                + m.getQueueId() + " offset " + m.getQueueOffset());
            return;
        }
        int idx;
        try {
            idx = Integer.parseInt(id.substring(run.length() + 1));
        } catch (NumberFormatException ex) {
            idx = -1;
        }
        if (idx < 0 || idx >= expects.size()) {
            t.problem("message with unknown rmqc_id " + id);
            return;
        }
        Expect e = expects.get(idx);
        List<String> bad = new ArrayList<>();
        if (!topic.equals(m.getTopic())) {
            bad.add("topic " + m.getTopic());
        }
        if (!Arrays.equals(e.body, m.getBody())) {
            bad.add("body differs (" + (m.getBody() == null ? "null" : m.getBody().length + " bytes")
                + firstDiff(e.body, m.getBody()) + ")");
        }
        if (!e.tags.equals(m.getTags())) {
            bad.add("tags " + quote(m.getTags()) + " != " + quote(e.tags));
        }
        if (!e.keys.equals(m.getKeys())) {
            bad.add("keys " + quote(m.getKeys()) + " != " + quote(e.keys));
        }
        for (Map.Entry<String, String> p : e.props.entrySet()) {
            String got = m.getProperty(p.getKey());
            if (!p.getValue().equals(got)) {
                bad.add("property " + p.getKey() + " " + quote(got) + " != " + quote(p.getValue()));
            }
        }
        /* The broker's body CRC covers the stored body: the compressed one when the client
           compressed it (the client inflates it and clears the flag before we see it). */
        boolean compressed = m.getBodyCRC() != crc32(e.body);
        if (compressed != e.compressed) {
            bad.add("bodyCRC " + m.getBodyCRC() + (e.compressed ? " is" : " is not") + " the CRC of the raw body "
                + crc32(e.body) + ": stored " + (compressed ? "compressed" : "uncompressed") + ", expected "
                + (e.compressed ? "compressed" : "uncompressed"));
        }
        /* The broker adds its cluster name to every message, batch members included
           (Apache's encoder appends the batch's properties, CLUSTER among them, to each). */
        String cluster = m.getProperty("CLUSTER");
        String firstCluster = t.batchUniq.putIfAbsent("cluster", cluster == null ? "null" : cluster);
        if (cluster == null || cluster.isEmpty() || (firstCluster != null && !firstCluster.equals(cluster))) {
            bad.add("CLUSTER property " + quote(cluster) + (firstCluster == null ? "" : ", others have " + firstCluster));
        }
        String uniq = m.getProperty("UNIQ_KEY");
        if (e.mode.equals("batch") && BATCH_ID_SHARED) {
            String batchId = t.batchUniq.putIfAbsent("batch", uniq == null ? "null" : uniq);
            if (uniq == null || uniq.equals(e.msgId) || !uniq.equals(m.getMsgId())
                || (batchId != null && !batchId.equals(uniq))) {
                bad.add("msgId " + m.getMsgId() + " / UNIQ_KEY " + uniq + " is not the batch's own UNIQ_KEY ("
                    + (batchId == null ? uniq : batchId) + " for the first member read, member's own " + e.msgId + ")");
            }
        } else {
            if (!e.msgId.equals(m.getMsgId())) {
                bad.add("msgId " + m.getMsgId() + " != " + e.msgId);
            }
            if (!e.msgId.equals(uniq)) {
                bad.add("UNIQ_KEY " + uniq + " != " + e.msgId);
            }
        }
        if (e.offsetMsgId != null) {
            String off = m instanceof MessageClientExt ? ((MessageClientExt) m).getOffsetMsgId() : null;
            if (!e.offsetMsgId.equals(off)) {
                bad.add("offsetMsgId " + off + " != " + e.offsetMsgId + " (SendResult)");
            }
        }
        if (e.queueId >= 0 && (e.queueId != m.getQueueId() || e.queueOffset != m.getQueueOffset())) {
            bad.add("queue " + m.getQueueId() + "@" + m.getQueueOffset() + " != " + e.queueId + "@"
                + e.queueOffset + " (SendResult)");
        }
        if (!bad.isEmpty()) {
            t.problem("message " + e.describe() + ": " + String.join("; ", bad));
        }
        t.noteQueue(m.getQueueId(), m.getQueueOffset(), idx);
        if (t.seen.getAndIncrement(idx) == 0) {
            t.all.countDown();
        } else {
            synchronized (t) {
                t.duplicates++;
            }
        }
    }

    private static long crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue() & 0x7FFFFFFFL;
    }

    private static String firstDiff(byte[] a, byte[] b) {
        if (b == null) {
            return "";
        }
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return ", first difference at byte " + i + " of " + a.length;
            }
        }
        return ", expected " + a.length + " bytes";
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    /** Waits for a tracker's latch; returns null or why the phase failed. */
    private String await(Tracker t, boolean exactlyOnce) throws InterruptedException {
        t.all.await(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
        return verdict(t, exactlyOnce);
    }

    private static String verdict(Tracker t, boolean exactlyOnce) {
        synchronized (t) {
            int missing = t.missing();
            if (missing > 0) {
                return t.name + ": " + missing + " of " + t.seen.length() + " messages never arrived, first "
                    + t.firstMissing();
            }
            if (t.problemCount > 0) {
                return t.name + ": " + t.problemCount + " messages differ from what was sent (first: "
                    + t.problems.get(0) + ")";
            }
            if (exactlyOnce && t.duplicates > 0) {
                return t.name + ": " + t.duplicates + " messages delivered more than once";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ consumers

    private DefaultMQPushConsumer pushConsumer(String group, String instance, final Tracker t) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(instance);
        c.setVipChannelEnabled(vip);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        quickHeartbeats(c);
        c.subscribe(topic, "*");
        c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                check(t, m);
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        return c;
    }

    private String phasePush() throws Exception {
        Tracker t = new Tracker("push", expects.size());
        DefaultMQPushConsumer c = pushConsumer("rmqc_cm_push_" + run, "rmqc_cm_push_" + run, t);
        c.start();
        clients.add(c);
        return await(t, false);
    }

    private String phaseBroadcast() throws Exception {
        String group = "rmqc_cm_bc_" + run;
        Tracker t1 = new Tracker("broadcast consumer 1", expects.size());
        Tracker t2 = new Tracker("broadcast consumer 2", expects.size());
        DefaultMQPushConsumer c1 = pushConsumer(group, "rmqc_cm_bc1_" + run, t1);
        DefaultMQPushConsumer c2 = pushConsumer(group, "rmqc_cm_bc2_" + run, t2);
        setBroadcasting(c1);
        setBroadcasting(c2);
        c1.start();
        clients.add(c1);
        c2.start();
        clients.add(c2);
        String why1 = await(t1, false);
        String why2 = await(t2, false);
        return why1 != null ? why1 : why2;
    }

    /** MessageModel is in org.apache.rocketmq.common.protocol.heartbeat in 4.9 and in
        org.apache.rocketmq.remoting.protocol.heartbeat in 5.x. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setBroadcasting(DefaultMQPushConsumer c) throws Exception {
        for (Method m : DefaultMQPushConsumer.class.getMethods()) {
            if (m.getName().equals("setMessageModel") && m.getParameterCount() == 1) {
                Class t = m.getParameterTypes()[0];
                m.invoke(c, Enum.valueOf(t, "BROADCASTING"));
                return;
            }
        }
        throw new IllegalStateException("no DefaultMQPushConsumer.setMessageModel");
    }

    private DefaultLitePullConsumer litePull(String group, String instance) {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(instance);
        c.setVipChannelEnabled(vip);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        quickHeartbeats(c);
        return c;
    }

    /** A rebalance gives the subscription a new version and sends a heartbeat carrying it;
        the client skips that heartbeat when another one holds its heartbeat lock (5.3.3,
        MQClientInstance.sendHeartbeatToAllBrokerWithLockV2), and until the next one the
        broker answers pulls with SUBSCRIPTION_NOT_LATEST, as Apache's does. Heartbeat every
        second instead of every 30 s so that this client race costs a second, not 30. */
    private static void quickHeartbeats(org.apache.rocketmq.client.ClientConfig c) {
        c.setHeartbeatBrokerInterval(1000);
    }

    private void pollUntil(DefaultLitePullConsumer c, Tracker t, long untilNanos, boolean stopWhenAll) {
        while (System.nanoTime() < untilNanos) {
            if (stopWhenAll && t.all.getCount() == 0) {
                return;
            }
            for (MessageExt m : c.poll(200)) {
                check(t, m);
            }
        }
    }

    private String phaseLitePullSubscribe() throws Exception {
        String group = "rmqc_cm_lps_" + run;
        Tracker t = new Tracker("lite pull subscribe", expects.size());
        DefaultLitePullConsumer c = litePull(group, "rmqc_cm_lps_" + run);
        c.setAutoCommit(true);
        c.setAutoCommitIntervalMillis(1000);
        c.subscribe(topic, "*");
        c.start();
        clients.add(c);
        pollUntil(c, t, deadline, true);
        String why = verdict(t, true);
        if (why != null) {
            return why;
        }
        /* Keep polling (nothing more may come) until auto commit (every second, inside
           poll) has committed every queue's end; shutdown then persists the offsets. */
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        String committed;
        do {
            pollUntil(c, t, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300), false);
            committed = checkCommittedHere(c, t.queueEnds, "auto commit");
        } while (committed != null && System.nanoTime() < until);
        why = verdict(t, true);
        if (why != null) {
            return why + " (while waiting for auto commit)";
        }
        if (committed != null) {
            return committed;
        }
        clients.remove(c);
        c.shutdown();
        return checkCommitted(group, t.queueEnds, "auto commit and shutdown");
    }

    /** The consumer's own committed offsets (memory first) must be ENDS. */
    private String checkCommittedHere(DefaultLitePullConsumer c, Map<Integer, Long> ends, String how)
        throws Exception {
        Map<Integer, Long> got = new TreeMap<>();
        for (MessageQueue mq : c.fetchMessageQueues(topic)) {
            Long e = ends.get(mq.getQueueId());
            long v = c.committed(mq);
            if (e != null ? v != e : v > 0) {
                got.put(mq.getQueueId(), v);
            }
        }
        return got.isEmpty() ? null : "after " + how + " the consumer's committed offsets are " + got
            + " where the queues end at " + ends;
    }

    private String phaseLitePullAssign() throws Exception {
        String group = "rmqc_cm_lpa_" + run;
        Tracker t = new Tracker("lite pull assign", expects.size());
        DefaultLitePullConsumer c = litePull(group, "rmqc_cm_lpa_" + run);
        c.setAutoCommit(false);
        c.start();
        clients.add(c);
        Collection<MessageQueue> mqs = c.fetchMessageQueues(topic);
        if (mqs.isEmpty()) {
            return "fetchMessageQueues(" + topic + ") is empty";
        }
        c.assign(mqs);
        for (MessageQueue mq : mqs) {
            c.seek(mq, 0);
        }
        pollUntil(c, t, deadline, true);
        /* Duplicates are allowed here: assign() starts a pull task per queue at once, from
         * the group's broker offset (0 for a fresh group once queue 0's first message is in
         * memory, as upstream answers); a pull in flight when seek(mq, 0) clears the cache
         * can still deliver its batch afterwards (client-side race, the same against the
         * Apache broker). The seek-back check below is exact. */
        String why = verdict(t, false);
        if (why != null) {
            return why;
        }
        /* Seek back within the fullest queue: exactly its last messages come again, in order. */
        MessageQueue fullest = null;
        int most = 0;
        synchronized (t) {
            for (MessageQueue mq : mqs) {
                TreeMap<Long, Integer> q = t.byQueue.get(mq.getQueueId());
                if (q != null && q.size() > most) {
                    most = q.size();
                    fullest = mq;
                }
            }
        }
        if (most < 2) {
            return "no queue holds two messages (queues " + t.queueEnds + ")";
        }
        TreeMap<Long, Integer> q = t.byQueue.get(fullest.getQueueId());
        long end = t.queueEnds.get(fullest.getQueueId());
        long from = end - Math.min(3, most);
        List<Long> want = new ArrayList<>(q.tailMap(from, true).keySet());
        c.seek(fullest, from);
        List<Long> got = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        while (got.size() + strays.size() < want.size() && System.nanoTime() < deadline) {
            for (MessageExt m : c.poll(200)) {
                if (m.getQueueId() == fullest.getQueueId()) {
                    got.add(m.getQueueOffset());
                    Integer idx = q.get(m.getQueueOffset());
                    String id = m.getProperty(ID_PROP);
                    if (idx == null || !(run + ":" + idx).equals(id)) {
                        strays.add("offset " + m.getQueueOffset() + " is " + id + " now, not #" + idx);
                    }
                } else {
                    strays.add("queue " + m.getQueueId() + "@" + m.getQueueOffset());
                }
            }
        }
        /* Nothing else may follow. */
        for (MessageExt m : c.poll(500)) {
            strays.add("extra " + m.getQueueId() + "@" + m.getQueueOffset());
        }
        if (!got.equals(want) || !strays.isEmpty()) {
            return "after seek(queue " + fullest.getQueueId() + ", " + from + "): got offsets " + got
                + ", want " + want + (strays.isEmpty() ? "" : ", unexpected " + strays);
        }
        c.commitSync();
        String why2 = checkCommittedHere(c, t.queueEnds, "commitSync()");
        if (why2 != null) {
            return why2;
        }
        /* commitSync() commits in memory (the client's persist timer ships it later);
           commitSync(offsets, true) sends it to the broker at once. */
        Map<MessageQueue, Long> offsets = new HashMap<>();
        for (MessageQueue mq : mqs) {
            if (t.queueEnds.containsKey(mq.getQueueId())) {
                offsets.put(mq, c.committed(mq));
            }
        }
        c.commitSync(offsets, true);
        return checkCommitted(group, t.queueEnds, "commitSync(offsets, true)");
    }

    /** The consumer offsets the broker reports for GROUP must become ENDS (queue id ->
        offset; queues absent from ENDS: -1 or 0) within a few seconds. */
    @SuppressWarnings("deprecation")
    private String checkCommitted(String group, Map<Integer, Long> ends, String how) throws Exception {
        DefaultMQPullConsumer checker = new DefaultMQPullConsumer(group);
        checker.setNamesrvAddr(namesrv);
        checker.setInstanceName("rmqc_cm_chk_" + group);
        checker.setVipChannelEnabled(vip);
        checker.start();
        clients.add(checker);
        Map<Integer, Long> got = new TreeMap<>();
        Map<Integer, Long> want = new TreeMap<>();
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(8));
        do {
            got.clear();
            want.clear();
            for (MessageQueue mq : checker.fetchSubscribeMessageQueues(topic)) {
                got.put(mq.getQueueId(), checker.fetchConsumeOffset(mq, true));
                Long e = ends.get(mq.getQueueId());
                /* An empty queue: never committed (-1) or committed at 0. */
                long w = e != null ? e : got.get(mq.getQueueId()) == 0 ? 0 : -1;
                want.put(mq.getQueueId(), w);
            }
            if (got.equals(want)) {
                return null;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < until);
        return "after " + how + " the broker reports offsets " + got + " for group " + group + ", want " + want;
    }
}
