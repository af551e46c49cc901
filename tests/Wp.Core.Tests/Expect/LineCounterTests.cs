using System.Text;
using Wp.Core.Expect;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Expect;

public sealed class LineCounterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("a\nb\n", 2)]
    [InlineData("a\nb", 2)]
    [InlineData("a\r\nb\r\n", 2)]
    [InlineData("\n\n\n", 3)]
    public void Counts_newlines_plus_a_final_unterminated_line(string text, long lines)
    {
        using var root = TempWorkRoot.Create().Write("f.dat", text);

        LineCounter.Count(root.PathOf("f.dat")).Should().Be(new LineCount(true, lines, Encoding.UTF8.GetByteCount(text)));
    }

    [Fact]
    public void A_missing_file_is_missing_with_zero_lines()
    {
        using var root = TempWorkRoot.Create();

        LineCounter.Count(root.PathOf("nope/none.dat")).Should().Be(LineCount.Missing);
    }

    [Fact]
    public void Counts_across_buffer_boundaries()
    {
        using var root = TempWorkRoot.Create();
        var line = new string('x', 99) + "\n"; // 100 bytes: 3 MiB is not a multiple, so lines straddle buffers
        var count = (3 * LineCounter.BufferSize / 100) + 7;
        File.WriteAllText(root.PathOf("big.dat"), string.Concat(Enumerable.Repeat(line, count)) + "tail");

        var result = LineCounter.Count(root.PathOf("big.dat"));

        result.Lines.Should().Be(count + 1);
        result.Bytes.Should().Be((count * 100L) + 4);
    }

    [Fact]
    public void Counts_a_file_another_writer_holds_open()
    {
        using var root = TempWorkRoot.Create();
        using var writer = new FileStream(root.PathOf("open.dat"), FileMode.Create, FileAccess.Write, FileShare.Read);
        writer.Write("a\nb\n"u8);
        writer.Flush();

        LineCounter.Count(root.PathOf("open.dat")).Lines.Should().Be(2);
    }

    [Fact]
    public void Counts_many_files_once_each()
    {
        using var root = TempWorkRoot.Create().Write("a", "1\n2\n").Write("b", "1\n");

        var counts = LineCounter.CountAll([root.PathOf("a"), root.PathOf("b"), root.PathOf("a"), root.PathOf("c")]);

        counts.Should().HaveCount(3);
        counts[root.PathOf("a")].Lines.Should().Be(2);
        counts[root.PathOf("b")].Lines.Should().Be(1);
        counts[root.PathOf("c")].Should().Be(LineCount.Missing);
    }
}
