package dev.tanrenai.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Endpoints spelled as Linux's /proc/net/tcp and tcp6 print them (32-bit words in host byte order). */
class ClientWatchTest {

    @Test
    void ipv4LoopbackAsTcpAndAsAnIpv4MappedTcp6Address() {
        assertEquals(
                Set.of("0100007F:1F90", "0000000000000000FFFF00000100007F:1F90"),
                ClientWatch.encodings("127.0.0.1", 8080));
    }

    @Test
    void ipv6Loopback() {
        assertEquals(Set.of("00000000000000000000000001000000:0050"), ClientWatch.encodings("[::1]", 80));
    }

    @Test
    void anAddressThatDoesNotResolveIsNotWatched() {
        assertEquals(Set.of(), ClientWatch.encodings("no such host.invalid", 80));
    }
}
