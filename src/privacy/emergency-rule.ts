/** The access-log rule of every read an emergency access allowed: its reads are counted by it. */
export const emergencyRule = (accessId: string) => `emergency:${accessId}`;
