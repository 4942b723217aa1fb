// Picking an actor by name as one types: a combobox over the API's actor suggestions (names and
// aliases that start with what was typed, then near misses). Arrow keys move through the
// suggestions, Enter picks one, Escape closes the list.
import { type KeyboardEvent, type Ref, useEffect, useId, useState } from 'react';
import { client } from '../api.ts';

/** An actor picked by name; `create`: a new person of that name, made when the edit is saved. */
export type PickedActor = { id: string; name: string; create?: boolean };

export function ActorPicker({
  label,
  value,
  onChange,
  inputRef,
  allowCreate = false,
}: {
  label: string;
  /** Offer “New person: <what was typed>” when no actor has exactly that name. */
  allowCreate?: boolean;
  value: PickedActor | null;
  onChange: (actor: PickedActor | null) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const [text, setText] = useState(value?.name ?? '');
  const [options, setOptions] = useState<(PickedActor & { detail: string })[]>([]);
  // Suggestions are asked for as one types; a new person is offered last.
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  useEffect(() => {
    const prefix = text.trim();
    if (!open || prefix.length < 2 || prefix === value?.name) {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.suggestActors({ prefix, limit: 8 }, { signal: controller.signal }).then(
        ({ suggestActors }) => {
          const found: (PickedActor & { detail: string })[] = suggestActors.map((actor) => ({
            id: actor.id,
            name: actor.name,
            detail: actor.roles[0]?.title ?? actor.description ?? actor.kind.toLowerCase(),
          }));
          const known = found.some((actor) => actor.name.toLowerCase() === prefix.toLowerCase());
          if (allowCreate && !known)
            found.push({ id: '', name: prefix, create: true, detail: 'a new person' });
          setOptions(found);
          setActive(found.length > 0 ? 0 : -1);
        },
        () => undefined,
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, open, value?.name, allowCreate]);

  function pick(actor: PickedActor) {
    onChange({ id: actor.id, name: actor.name, ...(actor.create ? { create: true } : {}) });
    setText(actor.name);
    setOpen(false);
    setOptions([]);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const shown = open && options.length > 0;
    if (event.key === 'ArrowDown' && shown) {
      event.preventDefault();
      setActive((i) => (i + 1) % options.length);
    } else if (event.key === 'ArrowUp' && shown) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? options.length - 1 : i - 1));
    } else if (event.key === 'Enter' && shown && active >= 0) {
      // Picks the suggestion; with the list closed, Enter submits the form as usual.
      event.preventDefault();
      pick(options[active]!);
    } else if (event.key === 'Escape' && shown) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  }

  const listId = `${id}-list`;
  const shown = open && options.length > 0;
  return (
    <div className="actor-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          if (value && event.target.value !== value.name) onChange(null);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <div
        id={listId}
        role="listbox"
        aria-label={`${label}: suggestions`}
        className="actor-options"
        hidden={!shown}
      >
        {options.map((option, index) => (
          <div
            key={option.id}
            id={`${listId}-${index}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            onMouseDown={(event) => {
              event.preventDefault();
              pick(option);
            }}
          >
            {option.create ? 'New person: ' : ''}
            {option.name} <span className="muted">· {option.detail}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
