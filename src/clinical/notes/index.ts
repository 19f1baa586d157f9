/** Clinical notes: templates, the prefill from the session record, and the sign / co-sign rules. */
export * from './fields';
export * from './rules';
