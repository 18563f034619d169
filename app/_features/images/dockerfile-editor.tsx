"use client";
/**
 * A Dockerfile editor: CodeMirror 6 with the Dockerfile mode's highlighting
 * (instructions, strings, comments), line numbers, undo history and the
 * default keys. Uncontrolled after its first render: `onChange` reports every
 * edit; the accessible name is `label` (a textbox a test or screen reader finds).
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { defaultHighlightStyle, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { dockerFile } from "@codemirror/legacy-modes/mode/dockerfile";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";

const dockerfileLanguage = StreamLanguage.define(dockerFile);

export function DockerfileEditor({ initial, onChange, label = "Dockerfile" }: { initial: string; onChange: (text: string) => void; label?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          history(),
          highlightActiveLine(),
          dockerfileLanguage,
          syntaxHighlighting(defaultHighlightStyle),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", spellcheck: "false" }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.destroy();
    // The editor owns its text after the first render: later `initial` or `label` values are not applied.
  }, []);
  return <div ref={host} className="code-editor" data-testid="dockerfile-editor" />;
}
