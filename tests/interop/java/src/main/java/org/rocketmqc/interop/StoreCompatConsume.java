/*
 * StoreCompatConsume: reads a store that rocketmq-c wrote, through an Apache broker
 * serving it, and compares it with the writer's manifest (StoreManifest), for the
 * "store written by rocketmq-c, served by Apache RocketMQ" compatibility test
 * (tests/interop/test_store_ours_to_apache.sh).
 *
 *   java ... org.rocketmqc.interop.StoreCompatConsume NAMESRV MANIFEST CLUSTER [TIMEOUT_SEC]
 *
 * Checks, in this order:
 *   1. offsets: the admin API's min/max offset of every queue named in the manifest is
 *      [0, number of manifest messages in that queue);
 *   2. consume: a DefaultLitePullConsumer assigned every queue, from offset 0, receives
 *      every message of the manifest in queue-offset order per queue (a gap or a step
 *      backwards fails; an exact re-delivery of an earlier offset is counted, not
 *      failed), each with its body (decompressed by the client when the store holds it
 *      compressed), tags, keys, user properties, message id (UNIQ_KEY) and offset message
 *      id (store host + commit-log offset) as in the manifest;
 *   3. tag filter: a second consumer with the expression "TagA || <CJK tag> || <non-BMP
 *      tag>" on the first topic receives exactly the manifest messages with those tags
 *      (the broker filters on the consume-queue tag hash codes our store wrote);
 *   4. lookups: viewMessage by offset message id returns the message; queryMessage by
 *      each message's first key and queryMessageByUniqKey by its UNIQ_KEY (both through
 *      the IndexFile our store wrote) find it (the members of a batch share the batch's
 *      UNIQ_KEY, see StoreManifest, and the client returns one of them).
 *
 * Prints "StoreCompatConsume: result=PASS ..." and exits 0, or the first problems and
 * result=FAIL with exit 1; a watchdog halts the JVM after TIMEOUT_SEC (default 120).
 */
package org.rocketmqc.interop;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

public final class StoreCompatConsume {
    private static final String[] FILTER_TAGS = {"TagA", "\u6807\u7b7eC", "Tag\uD83D\uDE00D"};
    private static final int MAX_REPORTED = 20;

    private final List<String> problems = new ArrayList<>();
    private final AtomicInteger problemCount = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String namesrv;
    private final String cluster;
    private final List<StoreManifest.Entry> entries;
    /* "topic/queueId" -> entries by queue offset */
    private final Map<String, TreeMap<Long, StoreManifest.Entry>> queues = new LinkedHashMap<>();
    private final Map<String, String> brokerOfTopic = new HashMap<>();

    private StoreCompatConsume(String namesrv, String cluster, List<StoreManifest.Entry> entries) {
        this.namesrv = namesrv;
        this.cluster = cluster;
        this.entries = entries;
        for (StoreManifest.Entry e : entries) {
            queues.computeIfAbsent(e.topic + "/" + e.queueId, k -> new TreeMap<>()).put(e.queueOffset, e);
        }
    }

    public static void main(String[] args) {
        try {
            if (args.length < 3 || args.length > 4) {
                System.err.println("usage: StoreCompatConsume NAMESRV MANIFEST CLUSTER [TIMEOUT_SEC]");
                System.exit(2);
            }
            int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
            Harness.startWatchdogLine(timeoutSec, () -> "StoreCompatConsume: result=FAIL(timeout)");
            List<StoreManifest.Entry> entries = StoreManifest.read(Paths.get(args[1]));
            boolean ok = new StoreCompatConsume(args[0], args[2], entries).run();
            Runtime.getRuntime().halt(ok ? 0 : 1);
        } catch (Throwable t) {
            Harness.dieOf("StoreCompatConsume", t);
        }
    }

    private void problem(String s) {
        if (problemCount.incrementAndGet() <= MAX_REPORTED) {
            problems.add(s);
            System.out.println("StoreCompatConsume: MISMATCH " + s);
        }
    }

    private boolean run() throws Exception {
        final long start = System.nanoTime();
        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(namesrv);
        admin.setInstanceName("rmqc_scc_admin_" + run);
        admin.start();
        for (StoreManifest.Entry e : entries) {
            if (!brokerOfTopic.containsKey(e.topic)) {
                brokerOfTopic.put(e.topic, waitRoute(admin, e.topic));
            }
        }
        checkOffsets(admin);
        long t1 = System.nanoTime();
        int[] consumed = consumeAll();
        long t2 = System.nanoTime();
        int filtered = consumeFiltered();
        long t3 = System.nanoTime();
        int[] lookups = lookups(admin);
        long t4 = System.nanoTime();
        admin.shutdown();
        boolean ok = problemCount.get() == 0;
        System.out.printf("StoreCompatConsume: result=%s messages=%d queues=%d consumed=%d redelivered=%d "
                + "filtered=%d views=%d key_queries=%d uniq_queries=%d mismatches=%d "
                + "consume_ms=%d filter_ms=%d lookup_ms=%d total_ms=%d%n",
            ok ? "PASS" : "FAIL", entries.size(), queues.size(), consumed[0], consumed[1], filtered,
            lookups[0], lookups[1], lookups[2], problemCount.get(), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3),
            ms(t4 - start));
        System.out.flush();
        return ok;
    }

    private MessageQueue mqOf(String queueKey) {
        int slash = queueKey.lastIndexOf('/');
        String topic = queueKey.substring(0, slash);
        return new MessageQueue(topic, brokerOfTopic.get(topic), Integer.parseInt(queueKey.substring(slash + 1)));
    }

    /* 1. min/max offsets through the admin API. */
    private void checkOffsets(DefaultMQAdminExt admin) throws Exception {
        for (Map.Entry<String, TreeMap<Long, StoreManifest.Entry>> q : queues.entrySet()) {
            MessageQueue mq = mqOf(q.getKey());
            long min = admin.minOffset(mq);
            long max = admin.maxOffset(mq);
            long wantMin = q.getValue().firstKey();
            long wantMax = q.getValue().lastKey() + 1;
            if (min != wantMin || max != wantMax || q.getValue().size() != wantMax - wantMin) {
                problem(String.format("queue %s: offsets [%d, %d), manifest [%d, %d) with %d messages",
                    q.getKey(), min, max, wantMin, wantMax, q.getValue().size()));
            }
        }
    }

    private DefaultLitePullConsumer newConsumer(String group) throws Exception {
        DefaultLitePullConsumer c = new DefaultLitePullConsumer(group);
        c.setNamesrvAddr(namesrv);
        c.setInstanceName(group);
        c.setAutoCommit(false);
        c.setPullBatchSize(32);
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setPollTimeoutMillis(1000);
        return c;
    }

    /*
     * seek() asks the broker for the queue's min offset over the consumer's fresh connection
     * and, unlike pulls, is not retried by the client; on a loaded machine that first request
     * can fail with a send error right after start-up, so retry it for a bounded time.
     */
    private static void seekWithRetry(DefaultLitePullConsumer c, MessageQueue mq) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        for (;;) {
            try {
                c.seek(mq, 0);
                return;
            } catch (MQClientException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                System.err.println("StoreCompatConsume: seek " + mq + " failed, retrying: " + e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    /* 2. Every message, in order per queue, with its contents. */
    private int[] consumeAll() throws Exception {
        DefaultLitePullConsumer c = newConsumer("rmqc_scc_all_" + run);
        c.start();
        List<MessageQueue> mqs = new ArrayList<>();
        for (String q : queues.keySet()) {
            mqs.add(mqOf(q));
        }
        c.assign(mqs);
        for (MessageQueue mq : mqs) {
            seekWithRetry(c, mq);
        }
        Map<String, Long> next = new HashMap<>();
        for (Map.Entry<String, TreeMap<Long, StoreManifest.Entry>> q : queues.entrySet()) {
            next.put(q.getKey(), q.getValue().firstKey());
        }
        int consumed = 0, redelivered = 0, remaining = entries.size();
        long idleDeadline = System.currentTimeMillis() + 30_000;
        while (remaining > 0 && System.currentTimeMillis() < idleDeadline) {
            List<MessageExt> msgs = c.poll();
            if (!msgs.isEmpty()) {
                idleDeadline = System.currentTimeMillis() + 30_000;
            }
            for (MessageExt m : msgs) {
                String key = m.getTopic() + "/" + m.getQueueId();
                TreeMap<Long, StoreManifest.Entry> q = queues.get(key);
                if (q == null) {
                    problem("message from unexpected queue " + key);
                    continue;
                }
                long want = next.get(key);
                StoreManifest.Entry e = q.get(m.getQueueOffset());
                if (m.getQueueOffset() < want) {
                    redelivered++; /* seek after assign may replay a prefix */
                } else if (m.getQueueOffset() > want || e == null) {
                    problem(String.format("queue %s: got offset %d, expected %d", key, m.getQueueOffset(), want));
                    next.put(key, m.getQueueOffset() + 1);
                    remaining--;
                } else {
                    next.put(key, want + 1);
                    remaining--;
                    consumed++;
                }
                if (e != null) {
                    checkMessage(e, m, "consume");
                }
            }
        }
        c.shutdown();
        for (Map.Entry<String, TreeMap<Long, StoreManifest.Entry>> q : queues.entrySet()) {
            long end = q.getValue().lastKey() + 1;
            if (next.get(q.getKey()) != end) {
                problem(String.format("queue %s: consumed up to %d of %d", q.getKey(), next.get(q.getKey()), end));
            }
        }
        return new int[] {consumed, redelivered};
    }

    /* 3. Server-side tag filtering on the consume-queue tag codes of the first topic. */
    private int consumeFiltered() throws Exception {
        String topic = entries.get(0).topic;
        Set<String> tags = Set.of(FILTER_TAGS);
        Set<String> want = new HashSet<>();
        List<MessageQueue> mqs = new ArrayList<>();
        for (String q : queues.keySet()) {
            if (q.startsWith(topic + "/")) {
                mqs.add(mqOf(q));
                for (StoreManifest.Entry e : queues.get(q).values()) {
                    if (e.tags != null && tags.contains(e.tags)) {
                        want.add(e.uniqKey);
                    }
                }
            }
        }
        DefaultLitePullConsumer c = newConsumer("rmqc_scc_tags_" + run);
        c.setSubExpressionForAssign(topic, String.join(" || ", FILTER_TAGS));
        c.start();
        c.assign(mqs);
        for (MessageQueue mq : mqs) {
            seekWithRetry(c, mq);
        }
        Set<String> got = new HashSet<>();
        long idleDeadline = System.currentTimeMillis() + 15_000;
        while (got.size() < want.size() && System.currentTimeMillis() < idleDeadline) {
            for (MessageExt m : c.poll()) {
                idleDeadline = System.currentTimeMillis() + 15_000;
                if (!want.contains(m.getMsgId())) {
                    problem("tag filter passed " + m.getMsgId() + " with tag " + m.getTags());
                }
                got.add(m.getMsgId());
            }
        }
        c.shutdown();
        if (!got.containsAll(want)) {
            problem(String.format("tag filter on %s: %d of %d messages", topic, got.size(), want.size()));
        }
        return got.size();
    }

    /* 4. Look-ups by offset message id, key and unique key. */
    private int[] lookups(DefaultMQAdminExt admin) throws Exception {
        int views = 0, keyQueries = 0, uniqQueries = 0;
        Set<String> uniqSeen = new HashSet<>(), uniqShared = new HashSet<>();
        for (StoreManifest.Entry e : entries) {
            if (e.uniqKey != null && !uniqSeen.add(e.uniqKey)) {
                uniqShared.add(e.uniqKey);
            }
        }
        for (StoreManifest.Entry e : entries) {
            if (e.offsetMsgId != null) {
                views++;
                try {
                    MessageExt m = admin.viewMessage(e.topic, e.offsetMsgId);
                    checkMessage(e, m, "viewMessage");
                } catch (Exception ex) {
                    problem(where(e) + ": viewMessage " + e.offsetMsgId + ": " + ex);
                }
            }
            if (e.keys != null) {
                keyQueries++;
                String key = e.keys.split(" ")[0];
                findIn(e, "queryMessage(" + key + ")", false,
                    () -> admin.queryMessage(e.topic, key, 32, 0, Long.MAX_VALUE));
            }
            if (e.uniqKey != null) {
                uniqQueries++;
                /* Members of a batch share the batch's UNIQ_KEY, and the client answers a
                 * query by unique key with one message: any member will do. */
                findIn(e, "queryMessageByUniqKey", uniqShared.contains(e.uniqKey), () ->
                    admin.queryMessageByUniqKey(cluster, e.topic, e.uniqKey, 32, 0, Long.MAX_VALUE));
            }
        }
        return new int[] {views, keyQueries, uniqQueries};
    }

    private interface Query {
        QueryResult call() throws Exception;
    }

    /* The query must return this message (same topic, queue and offset), which is then
     * checked; with anyOfShared, any message with its UNIQ_KEY is enough. */
    private void findIn(StoreManifest.Entry e, String what, boolean anyOfShared, Query q) {
        try {
            QueryResult r = q.call();
            boolean shared = false;
            for (MessageExt m : r.getMessageList()) {
                if (e.topic.equals(m.getTopic()) && e.queueId == m.getQueueId() && e.queueOffset == m.getQueueOffset()) {
                    checkMessage(e, m, what);
                    return;
                }
                shared |= anyOfShared && e.uniqKey.equals(m.getMsgId());
            }
            if (shared) {
                return;
            }
            problem(where(e) + ": " + what + " returned " + r.getMessageList().size() + " messages, not this one");
        } catch (Exception ex) {
            problem(where(e) + ": " + what + ": " + ex);
        }
    }

    private static String where(StoreManifest.Entry e) {
        return e.topic + "/" + e.queueId + "/" + e.queueOffset;
    }

    private void checkMessage(StoreManifest.Entry e, MessageExt m, String how) {
        String w = where(e) + " (" + how + ")";
        if (!e.topic.equals(m.getTopic()) || e.queueId != m.getQueueId() || e.queueOffset != m.getQueueOffset()) {
            problem(w + ": is " + m.getTopic() + "/" + m.getQueueId() + "/" + m.getQueueOffset());
        }
        byte[] body = m.getBody();
        if (body == null || body.length != e.bodyLen || StoreManifest.crc(body) != e.bodyCrc) {
            problem(w + ": body differs (length " + (body == null ? -1 : body.length) + ", want " + e.bodyLen + ")");
        }
        if (!eq(e.tags, m.getTags())) {
            problem(w + ": tags " + m.getTags() + ", want " + e.tags);
        }
        if (!eq(e.keys, m.getKeys())) {
            problem(w + ": keys " + m.getKeys() + ", want " + e.keys);
        }
        if (e.uniqKey != null && !e.uniqKey.equals(m.getMsgId())) {
            problem(w + ": msgId " + m.getMsgId() + ", want " + e.uniqKey);
        }
        String offsetId = MessageDecoder.createMessageId(m.getStoreHost(), m.getCommitLogOffset());
        if (e.offsetMsgId != null && !e.offsetMsgId.equals(offsetId)) {
            problem(w + ": offset msg id " + offsetId + ", want " + e.offsetMsgId);
        }
        for (Map.Entry<String, String> p : e.props.entrySet()) {
            if (!p.getValue().equals(m.getUserProperty(p.getKey()))) {
                problem(w + ": property " + p.getKey() + "=" + m.getUserProperty(p.getKey()) + ", want " + p.getValue());
            }
        }
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null || b.isEmpty() : a.equals(b);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /* Waits until the NameServer routes `topic`; returns its broker name. */
    private static String waitRoute(DefaultMQAdminExt admin, String topic) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                TopicRouteData route = admin.examineTopicRouteInfo(topic);
                if (route != null && !route.getQueueDatas().isEmpty() && !route.getBrokerDatas().isEmpty()) {
                    return route.getBrokerDatas().get(0).getBrokerName();
                }
            } catch (Exception e) {
                /* not routed yet */
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no route for " + topic);
            }
            Thread.sleep(100);
        }
    }
}
