namespace Wp.Core.Tests.Support;

/// <summary>A <see cref="Random"/> whose <see cref="NextDouble"/> returns the given values in turn, round and round.</summary>
internal sealed class ScriptedRandom(params double[] values) : Random
{
    private int _next;

    public override double NextDouble() => values[_next++ % values.Length];
}
