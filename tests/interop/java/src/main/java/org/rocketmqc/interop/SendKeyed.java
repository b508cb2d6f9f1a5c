/*
 * SendKeyed: sends COUNT messages with one key and one tag each through the official Java
 * producer and prints, per message, the ids a user would look it up by:
 *
 *   java ... org.rocketmqc.interop.SendKeyed NAMESRV_ADDR TOPIC COUNT
 *   SENT <index> <offsetMsgId> <msgId (UNIQ_KEY)> <key> <queueId> <queueOffset>
 *
 * Keys are "qkey-<run>-<index>", bodies "rocketmq-c keyed message #<index>". Exits 0
 * when every send succeeded, 1 otherwise, 2 on bad arguments.
 */
package org.rocketmqc.interop;

import java.nio.charset.StandardCharsets;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;

public final class SendKeyed {
    private SendKeyed() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            if (args.length != 3) {
                System.err.println("usage: SendKeyed NAMESRV_ADDR TOPIC COUNT");
                Runtime.getRuntime().halt(2);
            }
            String run = Long.toString(System.currentTimeMillis(), 36);
            DefaultMQProducer producer = Harness.startProducer(args[0], "rmqc_keyed_producer_" + run,
                "rmqc_keyed_" + run);
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                String key = "qkey-" + run + "-" + i;
                Message msg = new Message(args[1], "TagQ", key,
                    ("rocketmq-c keyed message #" + i).getBytes(StandardCharsets.UTF_8));
                SendResult r = producer.send(msg);
                if (r.getSendStatus() != SendStatus.SEND_OK) {
                    status = 1;
                }
                System.out.printf("SENT %d %s %s %s %d %d%n", i, r.getOffsetMsgId(), r.getMsgId(), key,
                    r.getMessageQueue().getQueueId(), r.getQueueOffset());
            }
            producer.shutdown();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }
}
