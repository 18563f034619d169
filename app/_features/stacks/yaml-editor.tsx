"use client";
/**
 * A compose.yaml editor: CodeMirror 6 with the YAML language, line numbers,
 * undo history, and lint markers set from outside (the runtime's `stacks.check`
 * answers; the editor does not check by itself). Uncontrolled after its first
 * render: `onChange` reports every edit; `handle` lets the page replace the text
 * (Convert docker run, a version's file) and move the cursor to a problem.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef, type RefObject } from "react";

export interface EditorProblem {
  line?: number;
  column?: number;
  message: string;
  severity: "error" | "warning";
}

export interface YamlEditorHandle {
  setText: (text: string) => void;
  /** Puts the cursor at a 1-based line (and column) and focuses the editor. */
  moveTo: (line: number, column?: number) => void;
}

function diagnosticsOf(state: EditorState, problems: EditorProblem[]): Diagnostic[] {
  const doc = state.doc;
  return problems.map((p) => {
    // A problem without a line (a file that is empty, a variable) marks the first line.
    const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
    return { from: line.from, to: line.to, severity: p.severity, message: p.message };
  });
}

const NO_PROBLEMS: EditorProblem[] = [];

export function YamlEditor({ initial, onChange, problems = NO_PROBLEMS, handle, label = "compose.yaml" }: {
  initial: string;
  onChange: (text: string) => void;
  /** Lint markers (the stack editor's check); none for a plain editor (custom templates). */
  problems?: EditorProblem[];
  handle?: RefObject<YamlEditorHandle | null>;
  label?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          lintGutter(),
          history(),
          highlightActiveLine(),
          yaml(),
          syntaxHighlighting(defaultHighlightStyle),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", spellcheck: "false" }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    if (handle) {
      handle.current = {
        setText: (text) => v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } }),
        moveTo: (line, column = 1) => {
          const l = v.state.doc.line(Math.min(Math.max(line, 1), v.state.doc.lines));
          const pos = Math.min(l.from + Math.max(column - 1, 0), l.to);
          v.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
          v.focus();
        },
      };
    }
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor owns its text after the first render: later `initial` or `label` values are not applied.
  }, []);
  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsOf(v.state, problems)));
  }, [problems]);
  return <div ref={host} className="code-editor" data-testid="compose-editor" />;
}
