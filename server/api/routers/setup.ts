import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CREDENTIAL_MAX } from "../../auth/credentials";
import { adminExists, createAdministrator, SETUP_DONE } from "../../auth/setup";
import { procedure, router } from "../trpc";

export const usernameSchema = z
  .string()
  .trim()
  .min(1, "Username is required")
  .max(64, "Username must be at most 64 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$/, "Username may use letters, digits, and . _ @ - (starting with a letter or digit)");

export const createAdminInput = z
  .object({
    setupToken: z
      .string()
      .trim()
      .min(1, "Setup token is required")
      .max(CREDENTIAL_MAX, `Setup token must be at most ${CREDENTIAL_MAX} characters`),
    username: usernameSchema,
    password: z
      .string()
      .min(12, "Password must be at least 12 characters")
      .max(CREDENTIAL_MAX, `Password must be at most ${CREDENTIAL_MAX} characters`),
    confirmPassword: z.string().max(CREDENTIAL_MAX, `Confirm password must be at most ${CREDENTIAL_MAX} characters`),
  })
  .refine((v) => v.password === v.confirmPassword, { message: "Passwords do not match", path: ["confirmPassword"] });

/**
 * Once an administrator exists, setup is gone: 404 whatever the input, checked
 * before the input is read, and the call leaves no audit row (it is not an
 * action anyone could take), so nobody can write to the database through it.
 */
const whileSetupOpen = procedure("setup.create-admin").use(async ({ ctx, next }) => {
  if (await adminExists()) {
    ctx.audit.discard = true;
    throw new TRPCError({ code: "NOT_FOUND", message: SETUP_DONE });
  }
  return next();
});

export const setupRouter = router({
  status: procedure("public.health").query(async () => ({ needsSetup: !(await adminExists()) })),
  createAdmin: whileSetupOpen.input(createAdminInput).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "user", name: input.username };
    const user = await createAdministrator(input);
    ctx.audit.target = { type: "user", id: user.id, name: user.username };
    return user;
  }),
});
