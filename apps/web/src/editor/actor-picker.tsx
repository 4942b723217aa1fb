// Picking an actor by name as one types: a combobox over the API's actor suggestions (names and
// aliases that start with what was typed, then near misses). Arrow keys move through the
// suggestions, Enter picks one, Escape closes the list.
import { SuggestActorsDocument } from '@chancery/sdk/documents/SuggestActors';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, type Ref, useEffect, useId, useMemo, useState } from 'react';
import { client } from '../api.ts';
import { operationKey } from '../queries.ts';

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
  // Suggestions are asked for as one types (once typing pauses), through the query cache: a
  // prefix asked before is answered at once, and a write (a new person) makes it be asked again.
  // A new person is offered last.
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = text.trim();
  const wanted = open && typed.length >= 2 && typed !== value?.name ? typed : '';
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAsked(wanted), wanted === '' ? 0 : 120);
    return () => clearTimeout(timer);
  }, [wanted]);
  const variables = { prefix: asked, limit: 8 };
  const suggestions = useQuery({
    queryKey: operationKey(SuggestActorsDocument, variables),
    queryFn: ({ signal }) => client.request(SuggestActorsDocument, variables, { signal }),
    enabled: asked !== '',
    // While the next prefix is asked, the last answer stays on screen.
    placeholderData: keepPreviousData,
  });
  const answer = wanted === '' || asked === '' ? undefined : suggestions.data;
  const options = useMemo(() => {
    if (!answer) return [];
    const found: (PickedActor & { detail: string })[] = answer.suggestActors.map((actor) => ({
      id: actor.id,
      name: actor.name,
      detail: actor.roles[0]?.title ?? actor.description ?? actor.kind.toLowerCase(),
    }));
    const known = found.some((actor) => actor.name.toLowerCase() === asked.toLowerCase());
    if (allowCreate && !known) found.push({ id: '', name: asked, create: true, detail: 'a new person' });
    return found;
  }, [answer, asked, allowCreate]);
  useEffect(() => setActive(options.length > 0 ? 0 : -1), [options]);

  function pick(actor: PickedActor) {
    onChange({ id: actor.id, name: actor.name, ...(actor.create ? { create: true } : {}) });
    setText(actor.name);
    setOpen(false);
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
