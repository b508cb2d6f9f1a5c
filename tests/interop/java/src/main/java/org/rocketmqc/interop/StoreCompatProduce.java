/*
 * StoreCompatProduce: fills an Apache broker's store with a known set of messages and
 * writes their manifest, for the "store written by Apache RocketMQ, read by rocketmq-c"
 * compatibility test (tests/interop/test_store_apache_to_ours.sh).
 *
 *   java ... org.rocketmqc.interop.StoreCompatProduce NAMESRV BROKER_ADDR MANIFEST COUNT
 *            [TIMEOUT_SEC [TOPIC_PREFIX]]
 *
 * Creates (or updates) two topics on the broker, TOPIC_PREFIX + "A" with 4 queues and
 * TOPIC_PREFIX + "B" with 2 (prefix "StoreCompat" by default; the ours -> Apache test
 * passes "OursCompat" to append to the topics our store wrote),
 * then sends COUNT single messages synchronously, each to an explicitly chosen queue,
 * plus a batch of 16 after every 100 singles. The messages vary on purpose:
 *   - tags: ASCII, CJK (multi-byte UTF-8) and a non-BMP character (a UTF-16 surrogate
 *     pair: the consume-queue tag code is Java's String.hashCode over UTF-16 units), or none;
 *   - keys: one, two (space separated), a non-ASCII key, or none;
 *   - user properties, one with a non-ASCII value;
 *   - bodies of 50 B to 2 KB, and every tenth of 40-70 KB so that the 4 MB commit-log
 *     segments of the test broker roll several times (end-of-file blanks); bodies over
 *     the client's 4 KB threshold are zlib-compressed by the client, so the store holds
 *     them compressed with the COMPRESSED system flag.
 * The manifest (StoreManifest) records, per message, what the store must give back:
 * topic, queue, queue offset and offset message id from the SendResult, UNIQ_KEY, keys,
 * tags, user properties and the CRC32 of the uncompressed body (UNIQ_KEY only for single
 * messages: a batch member's effective UNIQ_KEY is the batch's, see StoreManifest).
 *
 * Prints "StoreCompatProduce: result=PASS ..." and exits 0, or 1 on any failed send;
 * a watchdog halts the JVM after TIMEOUT_SEC (default 120).
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

public final class StoreCompatProduce {
    static final int[] QUEUES = {4, 2};
    private static final String[] TAGS = {"TagA", "TagB", "\u6807\u7b7eC", "Tag\uD83D\uDE00D", null};
    private static final String[] COLORS = {"red", "green", "blue"};
    private static final int BATCH_EVERY = 100;
    private static final int BATCH_SIZE = 16;

    private StoreCompatProduce() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            Harness.dieOf("StoreCompatProduce", t);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: StoreCompatProduce NAMESRV BROKER_ADDR MANIFEST COUNT [TIMEOUT_SEC [TOPIC_PREFIX]]");
            System.exit(2);
        }
        final String namesrv = args[0];
        final String brokerAddr = args[1];
        final String manifest = args[2];
        final int count = Integer.parseInt(args[3]);
        final int timeoutSec = args.length > 4 ? Integer.parseInt(args[4]) : 120;
        final String prefix = args.length > 5 ? args[5] : "StoreCompat";
        final String[] topics = {prefix + "A", prefix + "B"};
        final long start = System.nanoTime();
        final String run = Long.toString(System.currentTimeMillis(), 36);
        Harness.startWatchdogLine(timeoutSec, () -> "StoreCompatProduce: result=FAIL(timeout)");

        DefaultMQAdminExt admin = new DefaultMQAdminExt();
        admin.setNamesrvAddr(namesrv);
        admin.setInstanceName("rmqc_sc_admin_" + run);
        admin.start();
        String[] brokerNames = new String[topics.length];
        for (int t = 0; t < topics.length; t++) {
            admin.createAndUpdateTopicConfig(brokerAddr, new TopicConfig(topics[t], QUEUES[t], QUEUES[t], 6));
        }
        for (int t = 0; t < topics.length; t++) {
            brokerNames[t] = waitRoute(admin, topics[t], QUEUES[t]);
        }
        admin.shutdown();

        DefaultMQProducer producer = new DefaultMQProducer("rmqc_sc_producer_" + run);
        producer.setNamesrvAddr(namesrv);
        producer.setInstanceName("rmqc_sc_" + run);
        producer.setSendMsgTimeout(10000);
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();

        List<StoreManifest.Entry> entries = new ArrayList<>();
        int failures = 0, batches = 0;
        for (int i = 0; i < count; i++) {
            int t = (i % 3 == 2) ? 1 : 0;
            MessageQueue mq = new MessageQueue(topics[t], brokerNames[t], i % QUEUES[t]);
            Message msg = message(topics[t], run, i);
            SendResult r = producer.send(msg, mq);
            if (r.getSendStatus() != SendStatus.SEND_OK) {
                failures++;
                System.err.println("send " + i + " status " + r.getSendStatus());
            }
            entries.add(entry(msg, mq, r.getQueueOffset(), r.getOffsetMsgId()));

            if (i % BATCH_EVERY == BATCH_EVERY - 1) {
                MessageQueue bq = new MessageQueue(topics[0], brokerNames[0], batches % QUEUES[0]);
                List<Message> batch = new ArrayList<>();
                for (int j = 0; j < BATCH_SIZE; j++) {
                    batch.add(message(topics[0], run, 1_000_000 + batches * BATCH_SIZE + j));
                }
                SendResult br = producer.send(batch, bq);
                if (br.getSendStatus() != SendStatus.SEND_OK) {
                    failures++;
                    System.err.println("batch " + batches + " status " + br.getSendStatus());
                }
                String[] ids = br.getOffsetMsgId() == null ? new String[0] : br.getOffsetMsgId().split(",");
                for (int j = 0; j < BATCH_SIZE; j++) {
                    StoreManifest.Entry e = entry(batch.get(j), bq, br.getQueueOffset() + j,
                        ids.length == BATCH_SIZE ? ids[j] : null);
                    /* Readers see the batch's own UNIQ_KEY, which the client keeps to itself. */
                    e.uniqKey = null;
                    entries.add(e);
                }
                batches++;
            }
        }
        producer.shutdown();
        StoreManifest.write(Paths.get(manifest), entries);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("StoreCompatProduce: result=%s messages=%d singles=%d batches=%d failures=%d total_ms=%d%n",
            failures == 0 ? "PASS" : "FAIL", entries.size(), count, batches, failures, ms);
        System.out.flush();
        Runtime.getRuntime().halt(failures == 0 ? 0 : 1);
    }

    /* Message number i: tags, keys, properties and body as described at the top. */
    static Message message(String topic, String run, int i) {
        Random rnd = new Random(i * 7919L + 17);
        int len = (i % 10 == 9) ? 40_000 + rnd.nextInt(30_000) : 50 + rnd.nextInt(2000);
        byte[] body = new byte[len];
        for (int k = 0; k < len; k++) {
            body[k] = (byte) ((k % 61 == 0) ? rnd.nextInt(256) : 'a' + rnd.nextInt(16));
        }
        Message msg = new Message(topic, body);
        String tag = TAGS[i % TAGS.length];
        if (tag != null) {
            msg.setTags(tag);
        }
        if (i % 6 != 5) {
            String keys = "key-" + run + "-" + i;
            if (i % 3 == 0) {
                keys += " alt-" + run + "-" + i;
            }
            if (i % 4 == 1) {
                keys += " \u952e-" + run + "-" + i;
            }
            msg.setKeys(keys);
        }
        msg.putUserProperty("idx", Integer.toString(i));
        msg.putUserProperty("color", COLORS[i % COLORS.length]);
        if (i % 4 == 0) {
            msg.putUserProperty("note", "v\u00e4lue-" + i);
        }
        return msg;
    }

    static StoreManifest.Entry entry(Message msg, MessageQueue mq, long queueOffset, String offsetMsgId) {
        StoreManifest.Entry e = new StoreManifest.Entry();
        e.topic = mq.getTopic();
        e.queueId = mq.getQueueId();
        e.queueOffset = queueOffset;
        e.offsetMsgId = offsetMsgId;
        e.uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        e.keys = msg.getKeys();
        e.tags = msg.getTags();
        for (String name : new String[] {"idx", "color", "note"}) {
            String v = msg.getUserProperty(name);
            if (v != null) {
                e.props.put(name, v);
            }
        }
        /* The client compressed large bodies in place; the manifest holds the original. */
        byte[] original = message(mq.getTopic(), "", Integer.parseInt(e.props.get("idx"))).getBody();
        e.bodyLen = original.length;
        e.bodyCrc = StoreManifest.crc(original);
        return e;
    }

    /* Waits until the NameServer routes `topic` with `queues` write queues; returns the broker name. */
    private static String waitRoute(DefaultMQAdminExt admin, String topic, int queues) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                TopicRouteData route = admin.examineTopicRouteInfo(topic);
                if (route != null && !route.getQueueDatas().isEmpty()
                    && route.getQueueDatas().get(0).getWriteQueueNums() == queues
                    && !route.getBrokerDatas().isEmpty()) {
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
