// The intake checks the server makes (docs/web-api.md "Intake"), run before sending so
// the counter sees them at once; the server's 422 `fields` are shown the same way.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

// GB 11643: '' when fine, else the field code (id_format, id_check_digit).
export function idNumberProblem(raw) {
  const v = String(raw || '').trim().toUpperCase();
  if (!v) return '';
  if (!/^\d{17}[\dX]$/.test(v)) return 'id_format';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * WEIGHTS[i];
  return CHECK[sum % 11] === v[17] ? '' : 'id_check_digit';
}

// Mobile: 11 digits starting with 1; landline: 10–12 digits starting with 0; '-' and
// spaces dropped.
export function phoneProblem(raw) {
  const v = String(raw || '').replace(/[\s-]/g, '');
  if (!v) return 'required';
  if (!/^\d+$/.test(v) || !/^[01]/.test(v)) return 'phone_format';
  if (v[0] === '1') return v.length === 11 ? '' : 'phone_length';
  return v.length >= 10 && v.length <= 12 ? '' : 'phone_length';
}

export function normalPhone(raw) {
  return String(raw || '').replace(/[\s-]/g, '');
}

export const LIMITS = { name: 50, address: 200, title: 100, description: 4000, outcome: 2000 };

// body: the JSON the server takes → [{field, code}]
export function intakeProblems(body) {
  const out = [];
  const need = (field, value) => {
    if (!String(value || '').trim()) out.push({ field, code: 'required' });
  };
  const r = body.reporter || {};
  need('reporter.name', r.name);
  const phone = phoneProblem(r.phone);
  if (phone) out.push({ field: 'reporter.phone', code: phone });
  const id = idNumberProblem(r.id_number);
  if (id) out.push({ field: 'reporter.id_number', code: id });
  need('division_code', body.division_code);
  need('category', body.category);
  need('channel', body.channel);
  need('description', body.description);
  if (body.settle) need('settle.outcome', body.settle.outcome);
  // The server's length limits, in characters.
  const long = (field, value, max) => {
    if ([...String(value || '')].length > max && !out.some((p) => p.field === field)) out.push({ field, code: 'too_long' });
  };
  long('reporter.name', r.name, LIMITS.name);
  long('address', body.address, LIMITS.address);
  long('title', body.title, LIMITS.title);
  long('description', body.description, LIMITS.description);
  if (body.settle) long('settle.outcome', body.settle.outcome, LIMITS.outcome);
  return out;
}
