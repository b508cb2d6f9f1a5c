/*
 * ClientConsumerSend: the official Java producer (5.3.3) sends what our C push consumer
 * must receive byte for byte, and records it for examples/push_consumer.c -v.
 *
 *   java ... org.rocketmqc.interop.ClientConsumerSend NAMESRV_ADDR TOPIC RECORD_FILE COUNT
 *
 * Sends COUNT single messages synchronously ("single-N": tags TagA/TagB alternating, two
 * keys, user properties one of them non-ASCII, a binary body of every byte value), one
 * 16 KiB body that the Java producer compresses with zlib ("compressed-0"), and one batch
 * of 4 ("batch-N"). The topic is created by the broker from TBW102 (4 queues). COUNT -1
 * sends only one message "pre-0" (to create the topic).
 *
 * RECORD_FILE gets one line per message, the format examples/producer.c writes:
 *
 *   rid TAB msgId TAB hex(tags) TAB hex(keys) TAB name=hex(value),... TAB hex(body)
 *
 * msgId is the UNIQ_KEY the producer gave the message. Prints "ClientConsumerSend:
 * sent=N" and exits 0, or 1 on a failed send.
 */
package org.rocketmqc.interop;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientIDSetter;

public final class ClientConsumerSend {
    private ClientConsumerSend() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ClientConsumerSend NAMESRV TOPIC RECORD_FILE COUNT");
            System.exit(2);
        }
        String topic = args[1];
        int count = Integer.parseInt(args[3]);
        DefaultMQProducer producer = new DefaultMQProducer("rmqc_ccs_" + System.nanoTime());
        producer.setNamesrvAddr(args[0]);
        producer.setInstanceName("rmqc_ccs_" + System.nanoTime());
        producer.start();
        int sent = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[2]),
            StandardCharsets.UTF_8))) {
            if (count < 0) {
                /* Only creates the topic: one message that is not part of any check. */
                Message m = message(topic, "pre-0", "TagP", new byte[] {1});
                check(producer.send(m));
                record(out, m);
                System.out.println("ClientConsumerSend: sent=1");
                System.out.flush();
                producer.shutdown();
                Runtime.getRuntime().halt(0);
            }
            for (int i = 0; i < count; i++) {
                byte[] body = new byte[256 + i];
                for (int b = 0; b < body.length; b++) {
                    body[b] = (byte) (b + i);
                }
                Message m = message(topic, "single-" + i, i % 2 == 0 ? "TagA" : "TagB", body);
                check(producer.send(m));
                record(out, m);
                sent++;
            }
            byte[] big = new byte[16384];
            for (int b = 0; b < big.length; b++) {
                big[b] = (byte) ("compressible text ".charAt(b % 18));
            }
            Message c = message(topic, "compressed-0", "TagC", big);
            check(producer.send(c));
            record(out, c);
            sent++;
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batch.add(message(topic, "batch-" + i, "TagB",
                    ("batch body " + i).getBytes(StandardCharsets.UTF_8)));
            }
            check(producer.send(batch));
            for (Message m : batch) {
                record(out, m);
                sent++;
            }
        }
        System.out.println("ClientConsumerSend: sent=" + sent);
        System.out.flush();
        producer.shutdown();
        Runtime.getRuntime().halt(0);
    }

    private static Message message(String topic, String rid, String tags, byte[] body) {
        Message m = new Message(topic, tags, body);
        m.setKeys(rid + "-k1 " + rid + "-k2");
        m.putUserProperty("rid", rid);
        m.putUserProperty("color", "blue");
        m.putUserProperty("note", "caf\u00e9 \u6d88\u606f");
        return m;
    }

    private static void check(SendResult r) {
        if (r.getSendStatus() != SendStatus.SEND_OK) {
            System.out.println("ClientConsumerSend: send failed " + r);
            Runtime.getRuntime().halt(1);
        }
    }

    private static void record(PrintWriter out, Message m) {
        Map<String, String> props = new TreeMap<>();
        props.put("rid", m.getUserProperty("rid"));
        props.put("color", m.getUserProperty("color"));
        props.put("note", m.getUserProperty("note"));
        StringBuilder p = new StringBuilder();
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (p.length() > 0) {
                p.append(',');
            }
            p.append(e.getKey()).append('=').append(hex(e.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        out.println(m.getUserProperty("rid") + "\t" + MessageClientIDSetter.getUniqID(m) + "\t"
            + hex(m.getTags().getBytes(StandardCharsets.UTF_8)) + "\t"
            + hex(m.getKeys().getBytes(StandardCharsets.UTF_8)) + "\t" + p + "\t" + hex(m.getBody()));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
