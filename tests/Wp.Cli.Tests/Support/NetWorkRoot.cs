using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Wp.Cli.Tests.Support;

/// <summary>
/// A minimal work root for network-source tests: one source (given as its wpsrc.toml entry), one WPL
/// rule <c>/net/line</c> = <c>(digit:seq, chars:text)</c> routed to a JSON file sink, and a miss sink.
/// Logs go to stderr too, so a test can wait for "listening on".
/// </summary>
internal sealed class NetWorkRoot : IDisposable
{
    public NetWorkRoot(string sourceToml, string engineExtra = "", [CallerMemberName] string test = "")
    {
        // E2eFolder keeps the random suffix whole: cutting "{test}-{guid}" at 80 characters dropped it for
        // long test names, so two runs at once (or a folder a killed run left behind) shared one work root.
        Root = E2eFolder.For(test);
        Write("conf/wparse.toml", $"""
            version = "1.0"
            parse_workers = 2
            {engineExtra}
            [log_conf]
            level = "warn,ctrl=info,source=info"
            output = "both"
            [log_conf.file]
            path = "./logs"
            """);
        Write("conf/wpsrc.toml", sourceToml);
        Write("models/wpl/net/parse.wpl", """
            package /net {
              rule line {
                (digit:seq, chars:text)
              }
            }
            """);
        Write("sink/business.d/net.toml", """
            version = "2.0"
            [sink_group]
            name = "net"
            rule = ["/net/*"]
            [[sink_group.sinks]]
            name = "net_sink"
            connect = "file_json_sink"
            params = { file = "net.json" }
            """);
        Write("sink/infra.d/miss.toml", """
            version = "2.0"
            [sink_group]
            name = "miss"
            [[sink_group.sinks]]
            name = "miss_sink"
            connect = "file_raw_sink"
            params = { file = "miss.dat" }
            """);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string[] Lines(string relative) => File.Exists(PathOf(relative)) ? File.ReadAllLines(PathOf(relative)) : [];

    /// <summary>The output lines of the business sink.</summary>
    public string[] Output => Lines("data/out_dat/net.json");

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort(bool udp = false)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>The <c>seq</c> values of the JSON output lines (a line still being written is skipped).</summary>
    public static long[] Seqs(IEnumerable<string> jsonLines) =>
        jsonLines.Where(l => l.EndsWith('}') && l.Contains("\"seq\":", StringComparison.Ordinal)).Select(l =>
        {
            var at = l.IndexOf("\"seq\":", StringComparison.Ordinal) + 6;
            var end = l.IndexOfAny([',', '}'], at);
            return long.Parse(l.AsSpan(at, end - at), CultureInfo.InvariantCulture);
        }).ToArray();

    /// <summary>The cells of the last row of the final table with this stage and name, or null.</summary>
    public static string[]? Row(string stdout, string stage, string name) =>
        stdout.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .LastOrDefault(c => c.Length > 4 && c[0] == stage && c[1] == name);

    public static long Number(string cell) => long.Parse(cell.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    public void Write(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
