/**
 * Nomad's denied_host_uids / denied_host_gids syntax: comma-separated ids
 * and inclusive ranges ("0,10-20"), each bound a uint32, low ≤ high.
 */
const MAX_ID = 0xffffffff;
/** Parses `text`; throws Nomad's message (`invalid range deniedHostUIDs "x": range bound not valid`). */
export function parseIdRanges(text, label = 'ids') {
    const ranges = [];
    if (text !== '') {
        for (const part of text.split(',')) {
            const bounds = part.split('-');
            const nums = bounds.map(parseBound);
            if (bounds.length > 2 || nums.some((n) => n === undefined))
                throw new Error(`invalid range ${label} "${part}": range bound not valid`);
            const lo = nums[0];
            const hi = (nums[1] ?? lo);
            if (lo > hi)
                throw new Error(`invalid range ${label} "${part}": lower bound cannot be greater than upper bound`);
            ranges.push([lo, hi]);
        }
    }
    return { ranges, contains: (id) => ranges.some(([lo, hi]) => id >= lo && id <= hi) };
}
function parseBound(s) {
    if (!/^\d+$/.test(s))
        return undefined;
    const n = Number(s);
    return n <= MAX_ID ? n : undefined;
}
//# sourceMappingURL=id-ranges.js.map