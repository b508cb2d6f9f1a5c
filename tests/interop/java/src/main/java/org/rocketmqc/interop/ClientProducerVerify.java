/*
 * ClientProducerVerify: the official Java push consumer receives what our C producer
 * (examples/producer.c) sent and checks it byte for byte against the producer's record.
 *
 *   java ... org.rocketmqc.interop.ClientProducerVerify NAMESRV_ADDR TOPIC RECORD_FILE [TIMEOUT_SEC]
 *
 * RECORD_FILE has one line per message the C side sent (see examples/producer.c):
 *
 *   rid TAB msgId-or-"-" TAB hex(tags) TAB hex(keys) TAB name=hex(value),... TAB hex(body)
 *
 * A DefaultMQPushConsumer in a fresh group, from the first offset, subscribes to TOPIC
 * with "*". Each received message is matched by its user property "rid"; its tags, keys,
 * every recorded user property, the body bytes and (when recorded) the message id
 * (MessageExt.getMsgId() = UNIQ_KEY) must be equal. Messages whose rid starts with
 * "compressed" must have been stored compressed with zlib (sysFlag compression type 0x300
 * kept after the client decompressed; stored size below the body size). Messages whose
 * rid starts with "ordered" must all be on one queue. Duplicates are allowed.
 *
 * Batch messages: a 5.3.3 broker appends the batch request's own properties (WAIT, the
 * batch's UNIQ_KEY, CLUSTER) to every inner message (MessageExtEncoder.encode of a
 * MessageExtBatch), and Java's property map keeps the last UNIQ_KEY, so a consumer sees
 * the batch's id on each of them, whoever produced the batch (the Java producer sends
 * the same properties). A batch message therefore passes with its own id or with one id
 * shared by the whole batch.
 *
 * Prints "ClientProducerVerify: result=..." and exits 0 on success, 1 on failure or
 * time-out (a watchdog halts the JVM), 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;

public final class ClientProducerVerify {
    private static final class Expected {
        String rid;
        String msgId;
        String tags;
        String keys;
        Map<String, String> props = new LinkedHashMap<>();
        byte[] body;
    }

    private ClientProducerVerify() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            System.out.println("ClientProducerVerify: result=FAIL(exception) " + t);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: ClientProducerVerify NAMESRV_ADDR TOPIC RECORD_FILE [TIMEOUT_SEC]");
            System.exit(2);
        }
        final String namesrv = args[0];
        final String topic = args[1];
        final int timeoutSec = args.length > 3 ? Integer.parseInt(args[3]) : 120;
        final Map<String, Expected> expected = read(args[2]);
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final Set<Integer> orderedQueues = ConcurrentHashMap.newKeySet();
        final Set<String> batchIds = ConcurrentHashMap.newKeySet();
        final AtomicInteger mismatches = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final CountDownLatch allSeen = new CountDownLatch(expected.size());
        final long start = System.nanoTime();

        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(timeoutSec));
            } catch (InterruptedException e) {
                return;
            }
            summary("FAIL(timeout)", expected, seen, received.get(), mismatches.get(), start);
            Runtime.getRuntime().halt(1);
        }, "rmqc-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        String run = Long.toString(System.currentTimeMillis(), 36);
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer("rmqc_cpv_consumer_" + run);
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName("rmqc_cpv_" + run);
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            for (MessageExt m : msgs) {
                String rid = m.getUserProperty("rid");
                Expected e = rid == null ? null : expected.get(rid);
                if (e == null) {
                    continue;
                }
                received.incrementAndGet();
                String why = compare(e, m, batchIds);
                if (why != null) {
                    mismatches.incrementAndGet();
                    System.err.println("message " + rid + ": " + why);
                }
                if (rid.startsWith("ordered")) {
                    orderedQueues.add(m.getQueueId());
                }
                if (seen.add(rid)) {
                    allSeen.countDown();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();

        long left = TimeUnit.SECONDS.toNanos(timeoutSec) - (System.nanoTime() - start);
        boolean complete = allSeen.await(Math.max(left - TimeUnit.SECONDS.toNanos(2), 0),
            TimeUnit.NANOSECONDS);
        if (batchIds.size() > 1) {
            mismatches.incrementAndGet();
            System.err.println("batch messages with neither their own id nor one shared id: " + batchIds);
        }
        if (orderedQueues.size() > 1) {
            mismatches.incrementAndGet();
            System.err.println("ordered messages on several queues: " + orderedQueues);
        }
        boolean ok = complete && mismatches.get() == 0 && !expected.isEmpty();
        summary(ok ? "PASS" : "FAIL", expected, seen, received.get(), mismatches.get(), start);
        consumer.shutdown();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    /* Null when m is what e recorded, else what differs. */
    private static String compare(Expected e, MessageExt m, Set<String> batchIds) {
        if (!eq(e.tags, m.getTags())) {
            return "tags " + m.getTags() + " != " + e.tags;
        }
        if (!eq(e.keys, m.getKeys())) {
            return "keys " + m.getKeys() + " != " + e.keys;
        }
        for (Map.Entry<String, String> p : e.props.entrySet()) {
            if (!p.getValue().equals(m.getUserProperty(p.getKey()))) {
                return "property " + p.getKey() + "=" + m.getUserProperty(p.getKey()) + " != " + p.getValue();
            }
        }
        if (!Arrays.equals(e.body, m.getBody())) {
            return "body differs (" + (m.getBody() == null ? -1 : m.getBody().length) + " bytes, expected "
                + e.body.length + ")";
        }
        String uniq = m.getProperty("UNIQ_KEY");
        if (uniq == null || !uniq.equals(m.getMsgId())) {
            return "msgId " + m.getMsgId() + " is not the UNIQ_KEY " + uniq;
        }
        if (e.msgId != null && !e.msgId.equals(uniq)) {
            if (!e.rid.startsWith("batch")) {
                return "msgId " + uniq + " != " + e.msgId;
            }
            batchIds.add(uniq);
        }
        if (e.rid.startsWith("compressed")) {
            if ((m.getSysFlag() & 0x700) != 0x300) {
                return "not zlib-compressed: sysFlag=0x" + Integer.toHexString(m.getSysFlag());
            }
            if (m.getStoreSize() >= e.body.length) {
                return "stored size " + m.getStoreSize() + " not below the body size " + e.body.length;
            }
        } else if ((m.getSysFlag() & 0x701) != 0) {
            return "unexpected compression: sysFlag=0x" + Integer.toHexString(m.getSysFlag());
        }
        return null;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static Map<String, Expected> read(String file) throws Exception {
        Map<String, Expected> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("bad record line: " + line);
            }
            Expected e = new Expected();
            e.rid = f[0];
            e.msgId = f[1].equals("-") ? null : f[1];
            e.tags = f[2].isEmpty() ? null : new String(unhex(f[2]), StandardCharsets.UTF_8);
            e.keys = f[3].isEmpty() ? null : new String(unhex(f[3]), StandardCharsets.UTF_8);
            if (!f[4].isEmpty()) {
                for (String kv : f[4].split(",")) {
                    int eq = kv.indexOf('=');
                    e.props.put(kv.substring(0, eq),
                        new String(unhex(kv.substring(eq + 1)), StandardCharsets.UTF_8));
                }
            }
            e.body = unhex(f[5]);
            out.put(e.rid, e);
        }
        return out;
    }

    private static byte[] unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static void summary(String result, Map<String, Expected> expected, Set<String> seen,
        int received, int mismatches, long start) {
        StringBuilder missing = new StringBuilder();
        int nMissing = 0;
        for (String rid : expected.keySet()) {
            if (!seen.contains(rid)) {
                if (nMissing++ < 20) {
                    missing.append(' ').append(rid);
                }
            }
        }
        System.out.printf("ClientProducerVerify: result=%s expected=%d received=%d distinct=%d "
                + "mismatches=%d missing=%d total_ms=%d%n", result, expected.size(), received,
            seen.size(), mismatches, nMissing,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        if (nMissing > 0) {
            System.out.println("ClientProducerVerify: first missing:" + missing);
        }
        System.out.flush();
    }
}
