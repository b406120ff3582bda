// The fields of an SDP that matter for connecting, read with plain regexes: an oracle independent of the
// codec, used by the round-trip tests and by `npm run code -- stats`.

export function significant(sdp: string) {
  const all = (re: RegExp) => [...sdp.matchAll(re)].map((m) => m[1] ?? '');
  const candidates = all(/^a=candidate:(.*)$/gm)
    .map((c) => {
      const f = c.trim().split(/\s+/);
      const tcptype = /tcptype (\w+)/.exec(c)?.[1] ?? '';
      const raddr = /raddr (\S+) rport (\d+)/.exec(c);
      const related = raddr && !(raddr[1] === '0.0.0.0' && raddr[2] === '0') ? `${raddr[1]}:${raddr[2]}` : '';
      return [f[1], f[2]?.toLowerCase(), tcptype, f[4]?.toLowerCase(), f[5], f[7], related].join(' ');
    })
    .sort();
  return {
    ufrag: all(/^a=ice-ufrag:(.*)$/gm),
    pwd: all(/^a=ice-pwd:(.*)$/gm),
    fingerprint: all(/^a=fingerprint:(.*)$/gm).map((f) => f.toLowerCase()),
    setup: all(/^a=setup:(.*)$/gm),
    mid: all(/^a=mid:(.*)$/gm),
    sctpPort: all(/^a=sctp-port:(.*)$/gm),
    maxMessageSize: all(/^a=max-message-size:(.*)$/gm),
    media: all(/^m=(\S+)/gm),
    candidates,
  };
}
