using System.Numerics;
using System.Runtime.CompilerServices;

namespace MaintenanceMiddleware;

/// <summary>
/// A set of addresses as numbers (<see cref="uint"/> for IPv4, <see cref="UInt128"/> for IPv6), kept as sorted,
/// disjoint, non-touching inclusive ranges so that a lookup is one binary search: O(log n), no allocation.
/// Immutable once built.
/// </summary>
internal sealed class AddressRangeSet<T>
    where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
{
    public static readonly AddressRangeSet<T> Empty = new([], []);

    // Starts and ends in two arrays: the search walks the starts only, and reads one end at the finish.
    private readonly T[] _starts;
    private readonly T[] _ends;

    private AddressRangeSet(T[] starts, T[] ends)
    {
        _starts = starts;
        _ends = ends;
    }

    /// <summary>How many disjoint ranges the set holds.</summary>
    public int Count => _starts.Length;

    /// <summary>The inclusive range a network of <paramref name="prefixLength"/> fixed leading bits (of <paramref name="bits"/>) covers.</summary>
    public static (T Start, T End) FromPrefix(T address, int prefixLength, int bits)
    {
        // A shift by the full width is a no-op in C# (the count is masked), so a full-length prefix has no host bits.
        var hostMask = prefixLength >= bits ? T.Zero : T.AllBitsSet >>> prefixLength;
        return (address & ~hostMask, address | hostMask);
    }

    /// <summary>Sorts <paramref name="ranges"/> and merges those that overlap or touch.</summary>
    public static AddressRangeSet<T> Build(List<(T Start, T End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return Empty;
        }

        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var starts = new List<T>(ranges.Count);
        var ends = new List<T>(ranges.Count);
        var (start, end) = ranges[0];
        for (var i = 1; i < ranges.Count; i++)
        {
            var next = ranges[i];
            // Touching ranges (10.0.0.0/9 and 10.128.0.0/9) merge too; an end at MaxValue swallows all that follows.
            if (next.Start <= end || next.Start - end == T.One)
            {
                end = T.Max(end, next.End);
            }
            else
            {
                starts.Add(start);
                ends.Add(end);
                (start, end) = next;
            }
        }

        starts.Add(start);
        ends.Add(end);
        return new AddressRangeSet<T>([.. starts], [.. ends]);
    }

    /// <summary>The union of two sets.</summary>
    public AddressRangeSet<T> Union(AddressRangeSet<T> other)
    {
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var ranges = new List<(T, T)>(Count + other.Count);
        for (var i = 0; i < Count; i++)
        {
            ranges.Add((_starts[i], _ends[i]));
        }

        for (var i = 0; i < other.Count; i++)
        {
            ranges.Add((other._starts[i], other._ends[i]));
        }

        return Build(ranges);
    }

    /// <summary>Whether <paramref name="value"/> lies in one of the ranges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(T value)
    {
        var starts = _starts;
        var count = starts.Length;
        if (count == 0)
        {
            return false;
        }

        // Branch-free lower bound: find the last range starting at or before value, then check its end.
        var index = 0;
        while (count > 1)
        {
            var half = count >> 1;
            index = starts[index + half] <= value ? index + half : index;
            count -= half;
        }

        return starts[index] <= value && value <= _ends[index];
    }
}
