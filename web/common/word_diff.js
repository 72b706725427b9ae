// Word-level comparison of two texts (issue 15, point 3): what a proposal changes in a field,
// shown as the text with the removed words struck (<del>) and the added words marked (<ins>),
// instead of the whole field struck and retyped for one added sentence.
//
// WordDiffParts(before, after) -> [{op: 'same' | 'del' | 'ins', text}]: joining the 'same' and
//   'del' texts gives `before` back, joining the 'same' and 'ins' texts gives `after` back.
//   Tokens are runs of letters and digits (a word with its accents), single punctuation marks
//   (an apostrophe is one, so « l'association » is two words) and runs of whitespace, kept
//   as typed. A longest common subsequence over tokens decides what stayed; within a change,
//   removed text comes before added text, and a lone space between two changed words joins
//   them into one change.
//   The cost is bounded: past kMaxCells cells of the comparison table the texts are compared
//   paragraph by paragraph, and a changed paragraph still too long is shown replaced whole.
// WordDiff(before, after, {deleted, inserted}) -> DocumentFragment of text nodes, <del> and
//   <ins> (the caller puts it in an element of class "diff" or "diff-table" for the colours
//   of site.css). Screen readers do not announce <del>/<ins>: with `deleted` / `inserted`
//   (e.g. "supprimé :"), each starts with that text in a span of class "visually-hidden".
// Null and undefined compare as ''. Nothing here touches markup: every text is a text node.

const kMaxCells = 1_000_000;

const kToken = /\s+|[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

function Tokens(text) {
  return text.match(kToken) ?? [];
}

// Paragraphs with the blank lines after each kept on it, so that joining gives the text back.
function Paragraphs(text) {
  return text.match(/[\s\S]*?(?:\n[ \t]*\n\s*|$)/g).filter((p) => p !== '');
}

// Longest common subsequence of a and b (arrays of strings), given to push(op, text) token by
// token; false (and nothing pushed) when the table would exceed the bound. Common prefix and
// suffix are taken out first.
function Lcs(a, b, push) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end_a = a.length;
  let end_b = b.length;
  while (end_a > start && end_b > start && a[end_a - 1] === b[end_b - 1]) {
    end_a--;
    end_b--;
  }
  const n = end_a - start;
  const m = end_b - start;
  if (n * m > kMaxCells) return false;
  for (let i = 0; i < start; i++) push('same', a[i]);
  if (n === 0 || m === 0) {
    for (let i = start; i < end_a; i++) push('del', a[i]);
    for (let j = start; j < end_b; j++) push('ins', b[j]);
  } else {
    // lengths[i * (m + 1) + j]: LCS length of a[start + i..end_a) and b[start + j..end_b).
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lengths[i * width + j] = a[start + i] === b[start + j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        push('same', a[start + i]);
        i++;
        j++;
      } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
        push('del', a[start + i++]);
      } else {
        push('ins', b[start + j++]);
      }
    }
    for (; i < n; i++) push('del', a[start + i]);
    for (; j < m; j++) push('ins', b[start + j]);
  }
  for (let i = end_a; i < a.length; i++) push('same', a[i]);
  return true;
}

// Raw ops (one per token) into parts: adjacent ops of one kind merged, each change run written
// as its removed text then its added text, a whitespace-only 'same' between two changes taken
// into both sides of the change.
function Parts(ops) {
  const runs = []; // {same} or {del, ins}
  for (const { op, text } of ops) {
    const last = runs[runs.length - 1];
    if (op === 'same') {
      if (last && last.same !== undefined) last.same += text;
      else runs.push({ same: text });
    } else {
      if (last && last.same === undefined) last[op] += text;
      else runs.push({ del: '', ins: '', [op]: text });
    }
  }
  const merged = [];
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k];
    const prev = merged[merged.length - 1];
    const next = runs[k + 1];
    if (run.same !== undefined && /^\s+$/.test(run.same) && prev && prev.same === undefined &&
        next && next.same === undefined) {
      prev.del += run.same + next.del;
      prev.ins += run.same + next.ins;
      k++;
    } else if (run.same === undefined && prev && prev.same === undefined) {
      prev.del += run.del;
      prev.ins += run.ins;
    } else {
      merged.push({ ...run });
    }
  }
  const parts = [];
  for (const run of merged) {
    if (run.same !== undefined) {
      parts.push({ op: 'same', text: run.same });
    } else {
      if (run.del) parts.push({ op: 'del', text: run.del });
      if (run.ins) parts.push({ op: 'ins', text: run.ins });
    }
  }
  return parts;
}

export function WordDiffParts(before, after) {
  const a = String(before ?? '');
  const b = String(after ?? '');
  const ops = [];
  const push = (op, text) => ops.push({ op, text });
  if (!Lcs(Tokens(a), Tokens(b), push)) {
    // Too long for one table: paragraphs first, then words within each changed stretch.
    const paragraph_ops = [];
    const by_paragraph = Lcs(Paragraphs(a), Paragraphs(b), (op, text) => paragraph_ops.push({ op, text }));
    if (!by_paragraph) {
      push('del', a);
      push('ins', b);
    } else {
      let removed = '';
      let added = '';
      const flush = () => {
        if (!removed && !added) return;
        if (!Lcs(Tokens(removed), Tokens(added), push)) {
          push('del', removed);
          push('ins', added);
        }
        removed = '';
        added = '';
      };
      for (const { op, text } of paragraph_ops) {
        if (op === 'del') removed += text;
        else if (op === 'ins') added += text;
        else {
          flush();
          push('same', text);
        }
      }
      flush();
    }
  }
  return Parts(ops.filter((o) => o.text !== ''));
}

export function WordDiff(before, after, { deleted, inserted } = {}) {
  const fragment = document.createDocumentFragment();
  for (const { op, text } of WordDiffParts(before, after)) {
    if (op === 'same') {
      fragment.appendChild(document.createTextNode(text));
      continue;
    }
    const el = document.createElement(op);
    const said = op === 'del' ? deleted : inserted;
    if (said) {
      const hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = `${said} `;
      el.appendChild(hidden);
      el.appendChild(document.createTextNode(text));
    } else {
      el.textContent = text;
    }
    fragment.appendChild(el);
  }
  return fragment;
}
