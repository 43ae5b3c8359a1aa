// Interactive terminal chat over the CLI channel: `./nanoclaw chat`. Single-file Java (no build, no deps).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

public class Chat {
    public static void main(String[] args) throws Exception {
        Path sock = Path.of(args.length > 0 ? args[0] : "data/cli.sock");
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(sock));
        } catch (Exception e) {
            System.err.println("cannot connect to " + sock + ": is the host running? (./nanoclaw start)");
            System.exit(2);
            return;
        }
        // Read and write on the channel itself: the Channels stream adapters share one lock, and a pending read
        // would hold up every write.
        InputStream raw = new InputStream() {
            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    System.out.println(render(line));
                    System.out.print("> ");
                    System.out.flush();
                }
                System.out.println("\n(the host closed the connection)");
                System.exit(0);
            } catch (Exception e) {
                System.exit(0);
            }
        });
        reader.setDaemon(true);
        reader.start();
        System.out.println("Connected. Type a message and press Enter; Ctrl-D quits.");
        System.out.print("> ");
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null) {
            if (line.isBlank()) {
                System.out.print("> ");
                System.out.flush();
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(("{\"text\":" + quote(line) + "}\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        ch.close();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Shows {"text":"..."} as its text and {"error":"..."} as an error; anything else as it came. */
    static String render(String json) {
        for (String key : new String[] {"text", "error"}) {
            String prefix = "{\"" + key + "\":\"";
            if (json.startsWith(prefix) && json.endsWith("\"}")) {
                String v = unquote(json.substring(prefix.length(), json.length() - 2));
                return key.equals("error") ? "[error] " + v : v;
            }
        }
        return json;
    }

    static String unquote(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }
}
