using Wp.Core.Hosting.Cli;

namespace Wp.Core.Tests.Hosting;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_are_sized_to_content_numbers_right_aligned_and_no_trailing_spaces()
    {
        var output = new StringWriter();
        new TextTable(new TableColumn("name"), new TableColumn("lines", AlignRight: true), new TableColumn("path"))
            .Add("a", "5", "x.dat").Add("longer", "12345", "y").AddRule().Add("total", "12350")
            .Write(output, ConsoleStyle.Plain);

        output.ToString().ReplaceLineEndings("\n").Should().Be("""
            NAME    LINES  PATH
            a           5  x.dat
            longer  12345  y
            ------  -----  -----
            total   12350

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Wrapped_columns_shrink_before_paths_are_cut_from_the_left()
    {
        var output = new StringWriter();
        new TextTable(new TableColumn("item", Fit: Fit.PathLeft, MinWidth: 10), new TableColumn("detail", Fit: Fit.Wrap, MinWidth: 10))
            .Add("some/rather/long/path/to/a/file.toml:12:3", "a message that is long enough to need wrapping onto several lines")
            .Write(output, new ConsoleStyle(false, 40));

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().OnlyContain(l => l.Length <= 40);
        lines[1].Should().StartWith("…ng/path/to/a/file.toml:12:3  a message");
        lines.Skip(2).Should().OnlyContain(l => l.StartsWith(new string(' ', 30), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abcdef", 4, "…def", "abc…")]
    [InlineData("abc", 4, "abc", "abc")]
    [InlineData("abcdef", 1, "…", "…")]
    public void Cutting_keeps_the_end_or_the_start(string text, int width, string left, string right)
    {
        TextTable.CutLeft(text, width).Should().Be(left);
        TextTable.CutRight(text, width).Should().Be(right);
    }

    [Fact]
    public void Wrapping_breaks_at_spaces_and_splits_words_longer_than_the_width()
    {
        TextTable.Wrap("one two three", 7).Should().Equal("one two", "three");
        TextTable.Wrap("abcdefghij", 4).Should().Equal("abcd", "efgh", "ij");
    }

    [Fact]
    public void Colour_is_added_only_when_the_style_asks_for_it()
    {
        ConsoleStyle.Plain.Paint("PASS", Tone.Good).Should().Be("PASS");
        new ConsoleStyle(true, 80).Paint("PASS", Tone.Good).Should().Be("\u001b[32mPASS\u001b[0m");
        new ConsoleStyle(true, 80).Paint("FAIL", Tone.Bad).Should().Be("\u001b[31mFAIL\u001b[0m");
        new ConsoleStyle(true, 80).Paint("x", Tone.None).Should().Be("x");
    }

    [Fact]
    public void Coloured_cells_keep_the_alignment_of_plain_ones()
    {
        var plain = new StringWriter();
        var coloured = new StringWriter();
        var table = new TextTable(new TableColumn("result"), new TableColumn("detail"))
            .Add(new TableCell("ok", Tone.Good), "fine").Add(new TableCell("FAIL", Tone.Bad), "broken");

        table.Write(plain, ConsoleStyle.Plain);
        table.Write(coloured, new ConsoleStyle(true, 80));

        coloured.ToString().Replace("\u001b[32m", "").Replace("\u001b[31m", "").Replace("\u001b[0m", "").Should().Be(plain.ToString());
    }
}
